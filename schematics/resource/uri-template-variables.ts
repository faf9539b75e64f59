/**
 * The variable names of an RFC 6570 URI template, in order: `{slug}`, `{+path}`, `{?a,b}` and
 * `{list*}` / `{name:3}` all name plain variables once operators and modifiers are stripped.
 */
export function uriTemplateVariables(template: string): string[] {
  const names: string[] = [];
  for (const [, expression] of template.matchAll(/\{([^}]*)\}/g)) {
    for (const spec of expression!.replace(/^[+#./;?&]/, '').split(',')) {
      const name = spec.replace(/\*$|:\d+$/, '').trim();
      if (name !== '' && !names.includes(name)) names.push(name);
    }
  }
  return names;
}
