# A file-and-command orchestration with prereqos's shape (deploy everywhere, set up on the
# first node, join the others), safe to run for real on any host: its states only write under
# grains['demo_dir'] (default /tmp/brine-demo). examples/local-fleet.sh runs it.
#   brine orch run demo --pillar '{"firstnode": "ctrl-1"}'

demo deploy:
  salt.state:
    - tgt: 'ctrl-*'
    - sls: demo.deploy

demo setup:
  salt.state:
    - tgt: '{{ pillar.get('firstnode', 'ctrl-1') }}.*'
    - sls: demo.setup
    - require:
      - salt: demo deploy

demo join:
  salt.state:
    - tgt: 'ctrl-* and not {{ pillar.get('firstnode', 'ctrl-1') }}.*'
    - tgt_type: compound
    - sls: demo.join
    - require:
      - salt: demo setup

demo check:
  salt.state:
    - tgt: 'ctrl-*'
    - sls: demo.check
    - require:
      - salt: demo join
