rabbitmq join:
  cmd.script:
    - name: salt://rabbitmq-server/files/join.sh
    - template: jinja
    # brine lab: already a member of the first node's cluster (join.sh would reset this node)
    - unless: rabbitmqctl -q cluster_status --formatter json | grep -q '"disk_nodes":\[[^]]*"rabbit@{{pillar['firstnode']}}"'
