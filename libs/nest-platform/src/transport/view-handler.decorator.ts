import { applyDecorators, Catch, UseFilters, type RpcExceptionFilter } from '@nestjs/common';
import { EventPattern } from '@nestjs/microservices';
import { ApiExcludeEndpoint } from '@nestjs/swagger';
import type { TopicDefinition } from '@shop/contracts';
import { throwError, type Observable } from 'rxjs';

/** Key of the handler's declaration in the `extras` that @EventPattern hands to the transport. */
export const VIEW_HANDLER = 'shop.viewHandler';

export interface ViewHandlerOptions<TValue = unknown> {
  /** Names the view: its stored positions, its consumer group (`<prefix><service>.<view>`), its rebuild endpoint. */
  readonly view: string;
  /** The topic it consumes, as the catalogue defines it (the service's TOPIC_PREFIX is added). */
  readonly topic: TopicDefinition<TValue>;
  /** Other views of this service that the handler reads: each has caught up with its topic before a chunk runs. */
  readonly joins?: readonly string[];
  /** Topics the handler produces to with `chunk.produce`: provisioned at start; the service must be their writer. */
  readonly produces?: readonly TopicDefinition[];
  /** The view's tables, emptied by a rebuild in the transaction that clears its positions. */
  readonly tables: readonly string[];
  /** Span name of the events it produces (default `<service>: <view>`). */
  readonly span?: string;
}

/**
 * Nest's RPC exception layer turns an unknown error into a generic `Internal server error`. The materializer
 * needs the error itself (a RecordError dead-letters the record, anything else stalls and retries the chunk).
 */
@Catch()
class RethrowToTransport implements RpcExceptionFilter<unknown> {
  catch(exception: unknown): Observable<never> {
    return throwError(() => exception);
  }
}

/**
 * Declares a method of a controller as the handler of one materialized view: the platform's ViewTransport
 * (a Nest custom transport strategy) calls it with every chunk of one partition, inside the view's
 * transaction, as a ViewChunk payload (`@Payload() chunk: ViewChunk<E>`). Nest's pipes, guards and
 * interceptors apply as to any @EventPattern handler.
 */
export function ViewHandler<TValue>(options: ViewHandlerOptions<TValue>): MethodDecorator {
  // Not an HTTP route: kept out of the service's OpenAPI document (its ViewChunk parameter included).
  return applyDecorators(
    EventPattern(options.view, { [VIEW_HANDLER]: options }),
    UseFilters(new RethrowToTransport()),
    ApiExcludeEndpoint(),
  );
}
