/** The state and pillar tree the fleet tests apply: file and cmd states with per-minion pillar. */
import type { Fleet } from '../helpers/fleet';

/** Ids of the three controllers. */
export const CONTROLLERS = ['ctrl-1.lab', 'ctrl-2.lab', 'ctrl-3.lab'] as const;

/** The colour and secret each controller's pillar carries. */
export function pillarOf(id: string): { color: string; secret: string } {
  const n = id.slice('ctrl-'.length, 'ctrl-'.length + 1);
  return { color: ({ '1': 'red', '2': 'green', '3': 'blue' } as Record<string, string>)[n], secret: `s3cr3t-of-ctrl-${n}-${'x'.repeat(8)}` };
}

/** Write the tree into `fleet`. */
export function writeFleetTree(fleet: Fleet): void {
  fleet
    .state('top.sls', "base:\n  'ctrl-*':\n    - fleet\n")
    .state(
      'fleet.sls',
      [
        "{{ grains['workdir'] }}/motd:",
        '  file.managed:',
        "    - contents: \"{{ pillar['motd'] }}\"",
        "{{ grains['workdir'] }}/greeting:",
        '  file.managed:',
        '    - source: salt://files/greeting.jinja',
        '    - template: jinja',
        'stamp:',
        '  cmd.run:',
        "    - name: echo {{ pillar['color'] }} > {{ grains['workdir'] }}/stamp",
        '',
      ].join('\n'),
    )
    .state('files/greeting.jinja', "{% from 'files/macros.jinja' import hello %}{{ hello(grains['id'], pillar['color']) }}\n")
    .state('files/macros.jinja', '{% macro hello(who, color) %}hello {{ who }} in {{ color }}{% endmacro %}\n')
    .state('broken.sls', "oops:\n  file.managed:\n    - name: {{ pillar['no_such_key'] }}\n")
    .state('slow.sls', 'slow:\n  cmd.run:\n    - name: sleep 4; echo slept\n')
    .pillar('top.sls', "base:\n  '*':\n    - common\n" + ['1', '2', '3'].map((n) => `  'ctrl-${n}.lab':\n    - ctrl${n}\n`).join(''))
    .pillar('common.sls', "motd: managed by brine for {{ grains['id'] }}\n");
  for (const id of CONTROLLERS) {
    const p = pillarOf(id);
    fleet.pillar(`ctrl${id[5]}.sls`, `color: ${p.color}\nsecret: ${p.secret}\n`);
  }
}
