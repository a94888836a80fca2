import { createSocket } from 'node:dgram';

/**
 * The address of this machine on the route to `host`: what the client's own listeners bind when jobs
 * on other nodes dial them. A connected UDP socket learns it from the routing table; nothing is sent.
 */
export function addressFacing(host: string, port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = createSocket(host.includes(':') ? 'udp6' : 'udp4');
    socket.once('error', (err) => {
      socket.close();
      reject(err);
    });
    socket.connect(port, host, () => {
      const { address } = socket.address();
      socket.close();
      resolve(address);
    });
  });
}
