/** A note of the example domain. */
export interface Note {
  readonly id: string;
  readonly title: string;
  readonly body: string;
  readonly tags: string[];
  readonly createdAt: string;
}
