import { describe, expect, it } from 'vitest';
import { compileFile } from '../../compiler/index.js';
import { GuardrailError, Guardrails } from '../../runtime/core/guardrails.js';
import { caught } from '../helpers/caught.js';

/** The teams example declares `no-secrets`; compile it for real and run its guardrails. */
async function noSecrets() {
  const { bundle } = await compileFile('examples/teams/gateway.ts');
  const guardrails = new Guardrails(bundle!);
  return { guardrails, selected: guardrails.select(['no-secrets']) };
}

const refusal = (f: () => void): GuardrailError => caught(GuardrailError, f);

describe('guardrails compiled from the bundle', () => {
  it('refuses a deny pattern anywhere in the arguments, naming the rule', async () => {
    const { guardrails, selected } = await noSecrets();
    const e = refusal(() => guardrails.checkArguments(selected, 'github/list_issues', { q: { nested: ['x', '-----BEGIN RSA PRIVATE KEY-----'] } }));
    expect(e.guardrail).toBe('no-secrets');
    expect(e.message).toBe('private keys must not be sent to tools');
    guardrails.checkArguments(selected, 'github/list_issues', { q: 'a normal query' });
  });

  it('enforces a tool argument schema only for its tool', async () => {
    const { guardrails, selected } = await noSecrets();
    const e = refusal(() => guardrails.checkArguments(selected, 'github/create_issue', { repo: 'evil/repo' }));
    expect(e.message).toBe(`blocked by guardrail 'no-secrets': argument repo must match pattern "^acme/"`);
    guardrails.checkArguments(selected, 'github/create_issue', { repo: 'acme/app' });
    guardrails.checkArguments(selected, 'github/list_issues', { repo: 'evil/repo' });
  });

  it('refuses arguments over the size limit', async () => {
    const { guardrails, selected } = await noSecrets();
    const e = refusal(() => guardrails.checkArguments(selected, 'github/list_issues', { q: 'x'.repeat(70_000) }));
    expect(e.rule).toBe('max_argument_bytes');
    expect(e.message).toMatch(/over the limit of 65536/);
  });

  it('redacts every match in text and structured content, leaving binary data alone', async () => {
    const { guardrails, selected } = await noSecrets();
    const token = 'ghp_' + 'a'.repeat(36);
    const result = {
      content: [
        { type: 'text', text: `one ${token} two ${token}` },
        { type: 'image', data: token, mimeType: 'image/png' },
      ],
      structuredContent: { token },
      isError: false,
    };
    const redacted = guardrails.redactResult(selected, result);
    expect(redacted.content[0]).toEqual({ type: 'text', text: 'one [REDACTED github token] two [REDACTED github token]' });
    expect(redacted.content[1]).toEqual(result.content[1]);
    expect(redacted.structuredContent).toEqual({ token: '[REDACTED github token]' });
    expect(result.content[0]!.text).toContain(token);
  });

  it('with no guardrail selected, results pass through as the same object', async () => {
    const { guardrails } = await noSecrets();
    const result = { content: [] };
    expect(guardrails.redactResult([], result)).toBe(result);
  });
});
