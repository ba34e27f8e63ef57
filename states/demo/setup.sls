# The first node "bootstraps the cluster" (orch/demo.sls).
{% set dir = grains.get('demo_dir', '/tmp/brine-demo') %}

demo bootstrap:
  cmd.run:
    - name: sleep 1; echo "cluster bootstrapped by {{ grains.get('id', 'this minion') }}" > {{ dir }}/cluster
    - creates: {{ dir }}/cluster
