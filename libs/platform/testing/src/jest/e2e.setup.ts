// End-to-end tests start the whole platform, which takes tens of seconds on a small machine.
jest.setTimeout(180_000);
