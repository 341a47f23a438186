/** True when a Druid broker already answers SQL on the harness port (then it is reused, not stopped). */
export async function druidAnswers() {
  const port = process.env.DRUID_HARNESS_BROKER_PORT ?? String(Number(process.env.DRUID_HARNESS_PORT_BASE ?? 8080) + 2);
  try {
    const res = await fetch(`http://127.0.0.1:${port}/druid/v2/sql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'SELECT 1' }),
      signal: AbortSignal.timeout(3000),
    });
    return res.ok;
  } catch {
    return false;
  }
}
