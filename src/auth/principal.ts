/** Who is calling, as the bearer-token middleware of the example app establishes it. */
export interface Principal {
  readonly name: string;
  readonly roles?: readonly string[];
}
