/**
 * Preloaded into mcp-hub (`node --import`): mcp-hub 4.2.1 has no host option and calls
 * `app.listen(port)`, which binds every interface. The benchmark stays on loopback, so a listen given
 * only a port is pinned to 127.0.0.1.
 */
import net from 'node:net';

const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) {
  const portOnly = (typeof args[0] === 'number' || (typeof args[0] === 'string' && /^\d+$/.test(args[0]))) && typeof args[1] !== 'string';
  return portOnly ? listen.call(this, Number(args[0]), '127.0.0.1', ...args.slice(1)) : listen.apply(this, args);
};
