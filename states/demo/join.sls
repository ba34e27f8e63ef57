# The other nodes "join" the first one (orch/demo.sls).
{% set dir = grains.get('demo_dir', '/tmp/brine-demo') %}

demo join:
  cmd.run:
    - name: sleep 1; echo "{{ grains.get('id', 'this minion') }} joined {{ pillar.get('firstnode', 'ctrl-1') }}" > {{ dir }}/cluster
    - creates: {{ dir }}/cluster
