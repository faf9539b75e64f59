import { Injectable } from '@nestjs/common';
import { McpArgs, McpResource } from 'nest-mcp';
import { PIXEL_PNG_BASE64 } from './conformance-media.js';

/** Fixed resources, one template, and a resource clients subscribe to. */
@Injectable()
export class ConformanceResources {
  @McpResource({
    uri: 'test://static-text',
    name: 'static-text',
    title: 'Static text',
    description: 'A fixed text resource.',
    mimeType: 'text/plain',
  })
  staticText() {
    return {
      contents: [
        {
          uri: 'test://static-text',
          mimeType: 'text/plain',
          text: 'This is the content of the static text resource.',
        },
      ],
    };
  }

  @McpResource({
    uri: 'test://static-binary',
    name: 'static-binary',
    title: 'Static binary',
    description: 'A fixed binary resource (a PNG image).',
    mimeType: 'image/png',
  })
  staticBinary() {
    return { contents: [{ uri: 'test://static-binary', mimeType: 'image/png', blob: PIXEL_PNG_BASE64 }] };
  }

  @McpResource({
    uriTemplate: 'test://template/{id}/data',
    name: 'template',
    title: 'Data by id',
    description: 'JSON data for any id.',
    mimeType: 'application/json',
  })
  templateData(@McpArgs() { uri, variables }: { uri: string; variables: Record<string, string | string[]> }) {
    const id = String(variables['id']);
    return {
      contents: [
        {
          uri,
          mimeType: 'application/json',
          text: JSON.stringify({ id, templateTest: true, data: `Data for ID: ${id}` }),
        },
      ],
    };
  }

  @McpResource({
    uri: 'test://watched-resource',
    name: 'watched-resource',
    title: 'Watched resource',
    description: 'A resource clients subscribe to for updates.',
    mimeType: 'text/plain',
  })
  watched() {
    return {
      contents: [
        { uri: 'test://watched-resource', mimeType: 'text/plain', text: 'Watched resource content' },
      ],
    };
  }
}
