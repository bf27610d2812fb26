import { JsonBodyError, jsonDepthExceeds, parseJsonBody } from './json-body';

const refusal = (text: string, limits?: { maxDepth: number; maxValues: number }) => {
  try {
    parseJsonBody(text, limits);
  } catch (e) {
    if (e instanceof JsonBodyError) return e.body;
    throw e;
  }
  throw new Error('accepted');
};

describe('parseJsonBody', () => {
  it('parses ordinary JSON', () => {
    expect(parseJsonBody('{"a":[1,{"b":"x"}]}')).toEqual({ a: [1, { b: 'x' }] });
  });

  it('refuses empty and malformed bodies as BODY_INVALID_JSON on body', () => {
    for (const text of ['', '  \n', '{', '{"a":1,}', 'nul']) {
      expect(refusal(text)).toMatchObject({
        statusCode: 400,
        code: 'BODY_INVALID_JSON',
        parameter: 'body',
      });
    }
  });

  it('refuses deep nesting before parsing, without recursing', () => {
    expect(refusal('['.repeat(100_000))).toMatchObject({ code: 'BODY_TOO_DEEP' });
    expect(refusal('{"a":'.repeat(5_000) + '1' + '}'.repeat(5_000))).toMatchObject({
      code: 'BODY_TOO_DEEP',
      parameter: 'body',
    });
    expect(parseJsonBody('['.repeat(32) + ']'.repeat(32))).toBeDefined();
    expect(refusal('['.repeat(33) + ']'.repeat(33))).toMatchObject({ code: 'BODY_TOO_DEEP' });
  });

  it('ignores brackets inside strings, escaped quotes included', () => {
    expect(jsonDepthExceeds(JSON.stringify({ s: '[[[[{{{{\\"[[[[' }), 2)).toBe(false);
    expect(jsonDepthExceeds('[[[', 2)).toBe(true);
  });

  it('refuses prototype keys anywhere, naming their path', () => {
    expect(refusal('{"__proto__":{"admin":true}}')).toMatchObject({
      code: 'BODY_PROTOTYPE_KEY',
      parameter: '__proto__',
    });
    expect(refusal('{"items":[{},{"constructor":{"prototype":{}}}]}')).toMatchObject({
      code: 'BODY_PROTOTYPE_KEY',
      parameter: 'items.1.constructor',
    });
    expect(refusal('{"a":{"\\u005f_proto__":1}}')).toMatchObject({
      code: 'BODY_PROTOTYPE_KEY',
      parameter: 'a.__proto__',
    }); // Names every object inherits: a DTO would drop them unseen, not refuse them.
    for (const key of ['valueOf', 'toString', 'hasOwnProperty'])
      expect(refusal(`{"title":"x","${key}":"y"}`)).toMatchObject({
        code: 'BODY_PROTOTYPE_KEY',
        parameter: key,
      });
  });

  it('refuses more values than allowed, and takes a maximal batch', () => {
    expect(
      refusal(JSON.stringify(new Array(11).fill(0)), { maxDepth: 32, maxValues: 10 }),
    ).toMatchObject({ code: 'BODY_TOO_MANY_VALUES' });
    const item = {
      subject: 's',
      sender: 'e',
      receivedOn: 'r',
      priority: 'p',
      documentTitle: 'd',
      documentTypeId: 1,
      folderId: 1,
    };
    const batch = {
      name: 'n',
      source: 'scan',
      organizationId: 1,
      items: new Array(10_000).fill(item),
    };
    expect(parseJsonBody(JSON.stringify(batch))).toEqual(batch);
  });
});
