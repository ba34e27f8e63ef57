# A file-and-command rehearsal of prereqos's shape (orch/demo.sls), safe on any host: it only
# writes under grains['demo_dir'] (default /tmp/brine-demo).
{% set dir = grains.get('demo_dir', '/tmp/brine-demo') %}

{{ dir }}/motd:
  file.managed:
    - makedirs: True
    - contents: |
        {{ grains.get('id', 'this minion') }} ({{ grains.get('host', 'no host grain') }}) is managed by brine
        first node of the cluster: {{ pillar.get('firstnode', 'ctrl-1') }}

demo packages:
  cmd.run:
    - name: sleep 1; echo "pretend to install packages on {{ grains.get('id', 'this minion') }}" > {{ dir }}/packages
    - creates: {{ dir }}/packages
