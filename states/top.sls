# Highstate (`state.apply` without arguments): what every controller converges to
# at any time. The one-shot cluster steps (rabbitmq-server.setup/join,
# mariadb-galera.setup/join, ha.setup) run once, on chosen nodes, in the order
# of orch/prereqos.sls; they are not part of the highstate. keepalived is an
# alternative to the pacemaker VIPs of ha.setup: apply it by name if wanted.
base:
  'ctrl-*':
    - rabbitmq-server.deploy
    - mariadb-galera.deploy
    - ha.deploy
    - openstack.apache
    - openstack.buildenv
    - openstack.rc
