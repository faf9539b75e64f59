import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fromJsonSchema } from '@modelcontextprotocol/server';
import { buildToolEntry } from 'nest-mcp';

/** `x-mcp-header` declarations are read and judged once, when the tool is registered. */
const tool = (inputSchema: Record<string, unknown>, headers?: Record<string, string>) =>
  buildToolEntry(
    {
      name: 't',
      input: fromJsonSchema(inputSchema as Parameters<typeof fromJsonSchema>[0]),
      ...(headers !== undefined && { headers }),
    },
    () => 'ok',
  );

const object = (properties: Record<string, unknown>) => ({ type: 'object', properties });

describe('x-mcp-header declarations (SEP-2243)', () => {
  it('records mirrored properties at any properties depth, and none for a plain tool', () => {
    const entry = tool(
      object({
        region: { type: 'string', 'x-mcp-header': 'Region' },
        filter: { type: 'object', properties: { tier: { type: 'integer', 'x-mcp-header': 'Tier' } } },
      }),
    );
    assert.deepEqual(
      entry.headerParams?.map((param) => [param.path.join('.'), param.header, param.headerKey, param.type]),
      [
        ['region', 'Mcp-Param-Region', 'mcp-param-region', 'string'],
        ['filter.tier', 'Mcp-Param-Tier', 'mcp-param-tier', 'integer'],
      ],
    );
    assert.equal(tool(object({ region: { type: 'string' } })).headerParams, undefined);
  });

  it('refuses what the spec calls an invalid tool definition', () => {
    const invalid: Array<[string, Record<string, unknown>]> = [
      ['number type', object({ score: { type: 'number', 'x-mcp-header': 'Score' } })],
      ['object type', object({ data: { type: 'object', 'x-mcp-header': 'Data' } })],
      ['empty name', object({ v: { type: 'string', 'x-mcp-header': '' } })],
      ['space in name', object({ v: { type: 'string', 'x-mcp-header': 'My Region' } })],
      ['colon in name', object({ v: { type: 'string', 'x-mcp-header': 'Region:Primary' } })],
      ['non-ASCII name', object({ v: { type: 'string', 'x-mcp-header': 'Région' } })],
      [
        'duplicate ignoring case',
        object({
          a: { type: 'string', 'x-mcp-header': 'MyField' },
          b: { type: 'string', 'x-mcp-header': 'myfield' },
        }),
      ],
      ['under items', object({ list: { type: 'array', items: { type: 'string', 'x-mcp-header': 'Item' } } })],
      ['under anyOf', { ...object({}), anyOf: [object({ v: { type: 'string', 'x-mcp-header': 'V' } })] }],
    ];
    for (const [why, schema] of invalid) assert.throws(() => tool(schema), /Tool t: x-mcp-header/, why);
  });

  it('writes the headers option into the listed schema, and refuses a property the schema lacks', () => {
    const entry = tool(object({ region: { type: 'string' } }), { region: 'Region' });
    const properties = (
      entry.definition.inputSchema as { properties: Record<string, Record<string, unknown>> }
    ).properties;
    assert.equal(properties['region']!['x-mcp-header'], 'Region');
    assert.equal(entry.headerParams?.[0]?.header, 'Mcp-Param-Region');
    assert.throws(
      () => tool(object({ region: { type: 'string' } }), { zone: 'Zone' }),
      /"zone", which is not a property/,
    );
  });
});
