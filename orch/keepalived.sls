# The floating address of seeds/000 with keepalived (an alternative to the pacemaker VIPs of
# ha.setup): every controller gets ip_nonlocal_bind, the package and its keepalived.conf (state
# and priority per node from pillar:keepalived:nodes), the node meant to hold the address first.
#   brine orch run keepalived [--pillar '{"firstnode": "ctrl-1"}']

keepalived master:
  salt.state:
    - tgt: '{{ pillar.get('firstnode', 'ctrl-1') }}.*'
    - sls: keepalived

keepalived backups:
  salt.state:
    - tgt: 'ctrl-* and not {{ pillar.get('firstnode', 'ctrl-1') }}.*'
    - tgt_type: compound
    - sls: keepalived
    - require:
      - salt: keepalived master
