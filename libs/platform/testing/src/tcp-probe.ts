import { connect } from 'node:net';

/** Resolves when a TCP connection to host:port succeeds within the timeout. */
export function tcpProbe(address: string, timeoutMs = 1_000): Promise<void> {
  const [host, port] = splitHostPort(address);
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port, timeout: timeoutMs });
    socket.once('connect', () => {
      socket.destroy();
      resolve();
    });
    socket.once('timeout', () => {
      socket.destroy();
      reject(new Error(`${address}: connect timed out`));
    });
    socket.once('error', (error) => {
      reject(new Error(`${address}: ${error.message}`));
    });
  });
}

export function splitHostPort(address: string): [string, number] {
  const url = new URL(address.includes('://') ? address : `tcp://${address}`);
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  return [url.hostname, port];
}
