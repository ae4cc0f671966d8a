import { userRecordSchema } from '@shop/contracts';
import { apiModel, pageOf, schemaFor } from '@shop/nest-platform';
import { createUserSchema, updateUserSchema } from '../domain/user-input';
import type { UserPage } from '../domain/user';

/** The bodies of the users API: the schemas it validates with, and the users topic's record it answers with. */
export const CreateUserModel = apiModel('CreateUser', createUserSchema);
export const UserPatchModel = apiModel('UserPatch', updateUserSchema);
export const UserModel = apiModel('User', userRecordSchema);
export const UserPageModel = apiModel('UserPage', schemaFor<UserPage>()(pageOf(userRecordSchema, 'in creation order')));
