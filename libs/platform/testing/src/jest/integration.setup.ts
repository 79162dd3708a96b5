// Integration tests talk to real brokers and servers; a first connection or a workflow bundle takes seconds.
jest.setTimeout(60_000);
process.env['KAFKAJS_NO_PARTITIONER_WARNING'] = '1';
