/** A checkpoint note as the log signed it, with one or more witness signatures added (C2SP signed note). */
export class AddWitnessCosignatureCommand {
  constructor(readonly note: string) {}
}
