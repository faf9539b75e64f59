import {
  type CanActivate,
  type ExecutionContext,
  Injectable,
  Module,
  ParseIntPipe,
  UseGuards,
  ValidationPipe,
} from '@nestjs/common';
import { IsNumberString, IsOptional, IsString, MinLength } from 'class-validator';
import {
  McpArgs,
  McpCompletion,
  type McpContext,
  McpCtx,
  McpExecutionContext,
  McpPrompt,
  McpResource,
  type McpResourceArgs,
  McpTool,
} from 'nest-mcp';
import { completeTemplateId, TEMPLATE_DATA, templateEcho } from './template-echo.js';

/**
 * Handlers for the protocol edges that every transport must treat alike: template variables
 * (decoding), the Nest pipeline's own failures (pipes, guards), input-required rounds and a
 * genuine crash. Decorated, so the whole pipeline runs; the app adds a global
 * `ValidationPipe({ whitelist, forbidNonWhitelisted, transform })`.
 */

export class CreateNoteDto {
  @IsString()
  @MinLength(1)
  title!: string;

  @IsOptional()
  @IsString()
  body?: string;
}

/** Stricter than the prompt's declared argument list, so only the global ValidationPipe refuses. */
export class SummaryArgsDto {
  @IsString()
  @MinLength(3)
  topic!: string;
}

export class NumberedVariablesDto {
  @IsNumberString()
  n!: string;
}

/** Lets through only calls whose arguments carry `please: 'yes'`, by returning false otherwise. */
@Injectable()
export class PoliteGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    return McpExecutionContext.create(context).getArgs<{ please?: string }>().please === 'yes';
  }
}

@Injectable()
export class EdgeTools {
  @McpTool({ name: 'create_note', input: CreateNoteDto })
  create(@McpArgs() input: CreateNoteDto): string {
    return `created ${input.title}`;
  }

  @McpTool({ name: 'repeat' })
  repeat(@McpArgs('times', ParseIntPipe) times: number): string {
    return 'again '.repeat(times).trim();
  }

  @McpTool({ name: 'polite' })
  @UseGuards(PoliteGuard)
  polite(): string {
    return 'thank you';
  }

  @McpTool({ name: 'ask_name' })
  async askName(@McpCtx() ctx: McpContext): Promise<string> {
    const answer = await ctx.elicit({
      message: 'What is your name?',
      requestedSchema: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] },
    });
    return answer.action === 'accept' ? `Hello ${String(answer.content?.['name'])}` : answer.action;
  }

  @McpTool({ name: 'crash' })
  crash(): string {
    throw new Error('edge fixture crash: secret internal detail');
  }
}

@Injectable()
export class EdgePrompts {
  @McpPrompt({ name: 'summary', arguments: [{ name: 'topic', required: true }] })
  summary(@McpArgs() args: SummaryArgsDto): string {
    return `Summarize ${args.topic}`;
  }

  @McpPrompt({ name: 'polite_prompt', arguments: [{ name: 'please' }] })
  @UseGuards(PoliteGuard)
  politePrompt(): string {
    return 'a kind prompt';
  }
}

@Injectable()
export class EdgeResources {
  @McpResource({ uriTemplate: TEMPLATE_DATA, name: 'template-data', mimeType: 'application/json' })
  data(@McpArgs() args: McpResourceArgs): string {
    return templateEcho(args);
  }

  @McpResource({ uriTemplate: 'test://files/{+path}', name: 'file', mimeType: 'application/json' })
  file(@McpArgs() args: McpResourceArgs): string {
    return templateEcho(args);
  }

  @McpResource({ uriTemplate: 'test://numbers/{n}', name: 'number', mimeType: 'text/plain' })
  number(
    @McpArgs('variables', new ValidationPipe({ expectedType: NumberedVariablesDto }))
    variables: NumberedVariablesDto,
  ): string {
    return `number ${variables.n}`;
  }

  @McpResource({ uriTemplate: 'test://private/{id}', name: 'private', mimeType: 'text/plain' })
  @UseGuards(PoliteGuard)
  secret(): string {
    return 'never read';
  }

  @McpCompletion({ resourceTemplate: TEMPLATE_DATA, argument: 'id' })
  ids(value: string): string[] {
    return completeTemplateId(value);
  }
}

@Module({ providers: [EdgeTools, EdgePrompts, EdgeResources, PoliteGuard] })
export class EdgeCasesModule {}
