/** What the orders feature needs from the service configuration (provided by AppModule). */
export class OrdersSettings {
  constructor(readonly topicPrefix: string) {}
}
