# Every node shows what the cluster steps left (orch/demo.sls).
{% set dir = grains.get('demo_dir', '/tmp/brine-demo') %}

demo check:
  cmd.run:
    - name: cat {{ dir }}/cluster
