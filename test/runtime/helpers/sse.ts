/** Reading raw SSE responses in tests. */

/** Reads an SSE response until an event contains `text` (bounded by vitest's timeout). */
export function reader(response: Response) {
  const stream = response.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  return {
    async until(text: string): Promise<string> {
      for (;;) {
        const events = buffer.split('\n\n');
        const index = events.findIndex((e) => e.includes(text));
        if (index !== -1 && index < events.length - 1) {
          buffer = events.slice(index + 1).join('\n\n');
          return events[index]!;
        }
        const { value, done } = await stream.read();
        if (done) throw new Error(`stream ended before "${text}"`);
        buffer += decoder.decode(value, { stream: true });
      }
    },
  };
}
