/**
 * Writing a node graph as one YAML document, with libyaml's layout rules: block sequences under a
 * mapping key at the key's indentation, flow collections wrapped once past the width, `? ` keys
 * for keys that cannot be simple, anchors and aliases for repeated nodes.
 */
import { analyzeScalar } from './dump-analyze';
import { utf8Length } from './dump-chars';
import type { MappingNode, ScalarNode, SequenceNode, YamlNode } from './dump-represent';
import { chooseScalarStyle, writeScalar } from './dump-scalar';
import { YamlWriter } from './dump-writer';

interface Context {
  mapping: boolean;
  simpleKey: boolean;
}

const PLAIN_CONTEXT: Context = { mapping: false, simpleKey: false };
const MAPPING_CONTEXT: Context = { mapping: true, simpleKey: false };
const KEY_CONTEXT: Context = { mapping: true, simpleKey: true };

/** Emits one document. */
export class DocumentEmitter {
  private readonly emitted = new Set<YamlNode>();

  constructor(
    private readonly w: YamlWriter,
    private readonly anchors: Map<YamlNode, string>,
  ) {}

  /** Write the whole document, ending with a line break. */
  emitDocument(root: YamlNode): string {
    this.emitNode(root, PLAIN_CONTEXT);
    this.w.writeIndent();
    return this.w.text();
  }

  private isAlias(node: YamlNode): boolean {
    return this.emitted.has(node) && this.anchors.has(node);
  }

  private emitNode(node: YamlNode, ctx: Context): void {
    const anchor = this.anchors.get(node);
    if (anchor !== undefined && this.emitted.has(node)) {
      this.w.writeIndicator('*', true, false, false);
      this.writeAnchorName(anchor);
      if (ctx.simpleKey) this.w.write(' ');
      return;
    }
    this.emitted.add(node);
    if (node.kind === 'scalar') {
      this.emitScalar(node, ctx);
      return;
    }
    if (anchor !== undefined) {
      this.w.writeIndicator('&', true, false, false);
      this.writeAnchorName(anchor);
    }
    if (node.kind === 'sequence') {
      if (this.w.flowLevel > 0 || node.flow || node.items.length === 0) this.emitFlowSequence(node);
      else this.emitBlockSequence(node, ctx);
    } else if (this.w.flowLevel > 0 || node.flow || node.pairs.length === 0) {
      this.emitFlowMapping(node);
    } else {
      this.emitBlockMapping(node);
    }
  }

  private writeAnchorName(name: string): void {
    this.w.write(name);
    this.w.whitespace = false;
    this.w.indention = false;
  }

  private emitScalar(node: ScalarNode, ctx: Context): void {
    const analysis = analyzeScalar(node.text);
    const style = chooseScalarStyle(analysis, node.plainImplicit, this.w.flowLevel, ctx.simpleKey);
    this.w.increaseIndent(true, false);
    writeScalar(this.w, analysis, style, !ctx.simpleKey);
    this.w.popIndent();
  }

  /** Whether a key fits on one line before `:` (libyaml: not multi-line, at most 128 bytes, or an empty collection). */
  private isSimpleKey(node: YamlNode): boolean {
    const anchorLength = this.anchors.get(node)?.length ?? 0;
    if (this.isAlias(node)) return anchorLength <= 128;
    if (node.kind === 'scalar') {
      if (analyzeScalar(node.text).multiline) return false;
      return anchorLength + utf8Length(node.text) <= 128;
    }
    const empty = node.kind === 'sequence' ? node.items.length === 0 : node.pairs.length === 0;
    return empty && anchorLength <= 128;
  }

  private emitFlowSequence(node: SequenceNode): void {
    const w = this.w;
    w.writeIndicator('[', true, true, false);
    w.increaseIndent(true, false);
    w.flowLevel++;
    node.items.forEach((item, i) => {
      if (i > 0) w.writeIndicator(',', false, false, false);
      if (w.column > w.bestWidth) w.writeIndent();
      this.emitNode(item, PLAIN_CONTEXT);
    });
    w.flowLevel--;
    w.popIndent();
    w.writeIndicator(']', false, false, false);
  }

  private emitFlowMapping(node: MappingNode): void {
    const w = this.w;
    w.writeIndicator('{', true, true, false);
    w.increaseIndent(true, false);
    w.flowLevel++;
    node.pairs.forEach(([key, value], i) => {
      if (i > 0) w.writeIndicator(',', false, false, false);
      if (w.column > w.bestWidth) w.writeIndent();
      if (this.isSimpleKey(key)) {
        this.emitNode(key, KEY_CONTEXT);
        w.writeIndicator(':', false, false, false);
      } else {
        w.writeIndicator('?', true, false, false);
        this.emitNode(key, MAPPING_CONTEXT);
        if (w.column > w.bestWidth) w.writeIndent();
        w.writeIndicator(':', true, false, false);
      }
      this.emitNode(value, MAPPING_CONTEXT);
    });
    w.flowLevel--;
    w.popIndent();
    w.writeIndicator('}', false, false, false);
  }

  private emitBlockSequence(node: SequenceNode, ctx: Context): void {
    const w = this.w;
    // Under a mapping key the dashes stay at the key's indentation (PyYAML's default, no IndentMixin).
    w.increaseIndent(false, ctx.mapping && !w.indention);
    for (const item of node.items) {
      w.writeIndent();
      w.writeIndicator('-', true, false, true);
      this.emitNode(item, PLAIN_CONTEXT);
    }
    w.popIndent();
  }

  private emitBlockMapping(node: MappingNode): void {
    const w = this.w;
    w.increaseIndent(false, false);
    for (const [key, value] of node.pairs) {
      w.writeIndent();
      if (this.isSimpleKey(key)) {
        this.emitNode(key, KEY_CONTEXT);
        w.writeIndicator(':', false, false, false);
      } else {
        w.writeIndicator('?', true, false, true);
        this.emitNode(key, MAPPING_CONTEXT);
        w.writeIndent();
        w.writeIndicator(':', true, false, true);
      }
      this.emitNode(value, MAPPING_CONTEXT);
    }
    w.popIndent();
  }
}
