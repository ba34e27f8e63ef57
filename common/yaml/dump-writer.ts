/**
 * The low-level output of the YAML emitter: text, the current column (in code points), and the
 * "last character was whitespace / indentation" flags that decide where spaces and line breaks go.
 * It follows the bookkeeping of libyaml's emitter so that wrapping happens at the same places.
 */

/** Emitter output state and primitive writes. */
export class YamlWriter {
  private readonly out: string[] = [];
  column = 0;
  whitespace = true;
  indention = true;
  /** Current indentation; -1 before the root node. */
  indent = -1;
  flowLevel = 0;
  private readonly indents: number[] = [];

  constructor(
    readonly bestIndent: number,
    readonly bestWidth: number,
  ) {}

  /** The text written so far. */
  text(): string {
    return this.out.join('');
  }

  /** Write one code point (or a short ASCII run) that advances the column by its length. */
  write(text: string): void {
    this.out.push(text);
    this.column += [...text].length;
  }

  /** Write a line break. */
  putBreak(): void {
    this.out.push('\n');
    this.column = 0;
  }

  /** Copy a line-break character from a scalar: LF becomes the configured break, others are kept. */
  writeBreakChar(ch: string): void {
    if (ch === '\n') this.putBreak();
    else {
      this.out.push(ch);
      this.column = 0;
    }
  }

  /** Write an indicator, preceded by a space when one is needed and the last character was not whitespace. */
  writeIndicator(indicator: string, needWhitespace: boolean, isWhitespace: boolean, isIndention: boolean): void {
    if (needWhitespace && !this.whitespace) this.write(' ');
    this.write(indicator);
    this.whitespace = isWhitespace;
    this.indention = this.indention && isIndention;
  }

  /** Go to the current indentation, breaking the line unless already at a fresh indentation. */
  writeIndent(): void {
    const indent = this.indent >= 0 ? this.indent : 0;
    if (!this.indention || this.column > indent || (this.column === indent && !this.whitespace)) this.putBreak();
    while (this.column < indent) this.write(' ');
    this.whitespace = true;
    this.indention = true;
  }

  /** Open a nested level: flow levels start at one step of indentation, block levels at column 0. */
  increaseIndent(flow: boolean, indentless: boolean): void {
    this.indents.push(this.indent);
    if (this.indent < 0) this.indent = flow ? this.bestIndent : 0;
    else if (!indentless) this.indent += this.bestIndent;
  }

  /** Close the innermost level. */
  popIndent(): void {
    this.indent = this.indents.pop() ?? -1;
  }
}
