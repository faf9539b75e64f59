import { Injectable } from '@nestjs/common';
import { IsInt, IsString } from 'class-validator';
import { McpTool } from 'nest-mcp';

class CustomHeadersInput {
  @IsString()
  region!: string;

  @IsInt()
  priority!: number;

  /** Not mirrored: only the properties named in `headers` get an `x-mcp-header`. */
  @IsString()
  query!: string;
}

/**
 * SEP-2243 custom headers: `http-custom-header-server-validation` finds the first tool whose
 * input schema has `x-mcp-header` and checks the server holds its `Mcp-Param-*` headers to
 * the body (Base64 values, missing headers). Authored with the `headers` option on a DTO, as
 * an app would.
 */
@Injectable()
export class CustomHeaderTools {
  @McpTool({
    name: 'test_custom_headers',
    description: 'Echoes a query; region and priority are mirrored into Mcp-Param headers.',
    input: CustomHeadersInput,
    headers: { region: 'Region', priority: 'Priority' },
  })
  customHeaders(args: CustomHeadersInput) {
    return `region=${args.region} priority=${args.priority} query=${args.query}`;
  }
}
