/**
 * Salt's default colour theme (`salt.utils.color.get_colors`): ANSI SGR sequences that always
 * start with a reset (`ESC[0;...m`), and `ESC[0;0m` to end a coloured span. With colour off
 * every entry is the empty string.
 */

/** The colour names Salt's outputters use. */
export interface Colors {
  BLACK: string;
  DARK_GRAY: string;
  RED: string;
  LIGHT_RED: string;
  GREEN: string;
  LIGHT_GREEN: string;
  YELLOW: string;
  LIGHT_YELLOW: string;
  BLUE: string;
  LIGHT_BLUE: string;
  MAGENTA: string;
  LIGHT_MAGENTA: string;
  CYAN: string;
  LIGHT_CYAN: string;
  LIGHT_GRAY: string;
  WHITE: string;
  DEFAULT_COLOR: string;
  ENDC: string;
}

const sgr = (...codes: number[]): string => `\u001b[${[0, ...codes].join(';')}m`;

const THEME: Colors = {
  BLACK: sgr(30),
  DARK_GRAY: sgr(1, 30),
  RED: sgr(31),
  LIGHT_RED: sgr(1, 31),
  GREEN: sgr(32),
  LIGHT_GREEN: sgr(1, 32),
  YELLOW: sgr(33),
  LIGHT_YELLOW: sgr(1, 33),
  BLUE: sgr(34),
  LIGHT_BLUE: sgr(1, 34),
  MAGENTA: sgr(35),
  LIGHT_MAGENTA: sgr(1, 35),
  CYAN: sgr(36),
  LIGHT_CYAN: sgr(1, 36),
  LIGHT_GRAY: sgr(37),
  WHITE: sgr(1, 37),
  DEFAULT_COLOR: sgr(39),
  ENDC: sgr(0),
};

const NO_COLORS: Colors = Object.fromEntries(Object.keys(THEME).map((k) => [k, ''])) as unknown as Colors;

/** Salt's colour table, or empty strings when colour is off. */
export function getColors(use: boolean): Colors {
  return use ? THEME : NO_COLORS;
}

/** Replace ESC with `?` so data cannot drive the terminal (Salt's `strip_esc_sequence`). */
export function stripEscSequence(text: string): string {
  return text.replace(/\u001b/g, '?');
}
