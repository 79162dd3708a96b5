/**
 * Signs a new tree head when at least `minimumNewEntries` entries were appended since the last
 * checkpoint; a scheduler can publish on a timer with 1 and on volume with a larger number.
 */
export class PublishCheckpointCommand {
  constructor(readonly minimumNewEntries = 1) {}
}
