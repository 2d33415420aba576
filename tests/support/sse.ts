// Reads a host's Server-Sent Events stream, handing each event (name and JSON data)
// to `on`; resolves when the stream ends or `on` returns true.
export async function readSse(body: ReadableStream<Uint8Array>, on: (event: string, data: unknown) => boolean | void): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buf = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buf += decoder.decode(value, { stream: true });
    let i;
    while ((i = buf.indexOf('\n\n')) >= 0) {
      const chunk = buf.slice(0, i);
      buf = buf.slice(i + 2);
      const ev = /^event: (.+)$/m.exec(chunk)?.[1];
      const data = /^data: (.+)$/m.exec(chunk)?.[1];
      if (ev && data && on(ev, JSON.parse(data)) === true) return;
    }
  }
}
