import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { JsonObject } from '../asl';

/**
 * How AWS reads a state that names no QueryLanguage: an inline Map's or a Parallel's states
 * take the machine's, a Distributed Map's item processor (a child machine) JSONPath. stepwright's
 * Map pushes what its own item processor's states default to while they render, so a nested
 * stepwright Map knows how it will be read. Rendering is synchronous, so a stack suffices.
 */
const readerDefaults: sfn.QueryLanguage[] = [];

/** What a state rendered now defaults to when read back, given the language it is rendered in. @internal */
export function readerDefault(renderedIn: sfn.QueryLanguage | undefined): sfn.QueryLanguage {
  return readerDefaults.length > 0 ? readerDefaults[readerDefaults.length - 1] : renderedIn ?? sfn.QueryLanguage.JSON_PATH;
}

/**
 * Renders a container's states in `language` (aws-cdk-lib renders them in JSONPath whatever the
 * container's language, so a Lambda task in a JSONata Map got `Parameters`), then writes
 * `QueryLanguage` on each state whose language differs from what a reader would assume
 * (`readBackAs`), so the definition read back from AWS means the same.
 * @internal
 */
export function renderGraphIn(graph: sfn.StateGraph, language: sfn.QueryLanguage, readBackAs: sfn.QueryLanguage): any {
  readerDefaults.push(readBackAs);
  try {
    const json = graph.toGraphJson(language) as { States: Record<string, JsonObject> };
    for (const state of Object.values(json.States)) {
      const effective = state.QueryLanguage ?? language;
      if (effective !== readBackAs) state.QueryLanguage = effective;
    }
    return json;
  } finally {
    readerDefaults.pop();
  }
}

/**
 * A Parallel whose branches render in its own query language, marked like a Map's item
 * processor (see {@link renderGraphIn}): aws-cdk-lib renders them in JSONPath, which a JSONata
 * machine then reads as JSONata. @internal
 */
export class LanguageParallel extends sfn.Parallel {
  private renderingIn?: sfn.QueryLanguage;

  public toStateJson(topLevel?: sfn.QueryLanguage): object {
    this.renderingIn = topLevel;
    try {
      return super.toStateJson(topLevel);
    } finally {
      this.renderingIn = undefined;
    }
  }

  protected renderBranches(): any {
    const language = this.queryLanguage ?? this.renderingIn ?? sfn.QueryLanguage.JSON_PATH;
    const readBackAs = readerDefault(this.renderingIn);
    return { Branches: this.branches.map((b) => renderGraphIn(b, language, readBackAs)) };
  }
}
