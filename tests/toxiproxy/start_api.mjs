// Starts `firedrill proxy --api 127.0.0.1:0` and an echo upstream for the
// client tests; the proxy is killed when the test process exits, however
// it exits.
import net from "node:net";
import { spawn } from "node:child_process";

export async function echoServer() {
  const server = net.createServer((socket) => socket.pipe(socket));
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return server;
}

export async function startApi(firedrill) {
  const child = spawn(firedrill, ["proxy", "--api", "127.0.0.1:0", "--threads", "1"], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  process.on("exit", () => child.kill("SIGKILL"));
  const port = await new Promise((resolve, reject) => {
    let seen = "";
    child.stdout.on("data", (d) => {
      seen += d;
      const m = seen.match(/API on 127\.0\.0\.1:(\d+)/);
      if (m) resolve(Number(m[1]));
    });
    child.on("exit", (code) => reject(new Error(`firedrill proxy --api exited with ${code}: ${seen}`)));
  });
  return { child, url: `http://127.0.0.1:${port}` };
}

// Milliseconds for `n` bytes to come back through `listen` ("HOST:PORT").
export async function roundTrip(listen, n = 64) {
  const [host, port] = [listen.slice(0, listen.lastIndexOf(":")), Number(listen.slice(listen.lastIndexOf(":") + 1))];
  const start = performance.now();
  await new Promise((resolve, reject) => {
    const socket = net.connect(port, host);
    let got = 0;
    socket.setTimeout(10000, () => reject(new Error(`no echo through ${listen} in 10 s`)));
    socket.on("connect", () => socket.write(Buffer.alloc(n, 120)));
    socket.on("data", (d) => {
      got += d.length;
      if (got >= n) {
        socket.destroy();
        resolve();
      }
    });
    socket.on("error", reject);
  });
  return performance.now() - start;
}

// The errno of a connect to `listen`, or "" when it connects.
export async function connectError(listen) {
  const port = Number(listen.slice(listen.lastIndexOf(":") + 1));
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    socket.on("connect", () => {
      socket.destroy();
      resolve("");
    });
    socket.on("error", (e) => resolve(e.code));
  });
}
