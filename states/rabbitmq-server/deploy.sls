/var/lib/rabbitmq/.erlang.cookie:
  file:
    - managed
    - mode: 0400
    - makedirs: True
    - contents_pillar: rabbitmq_cookie
# brine lab: a node cut off from the others pauses, and rejoins by itself when the network
# heals, rather than going on alone in a partition that needs a restart (see states/README.md)
/etc/rabbitmq/rabbitmq.conf:
  file.managed:
    - makedirs: True
    - contents: |
        cluster_partition_handling = pause_minority
rabbitmq-server:
  pkg:
    - installed
  service.running:
    - watch:
      - file: /var/lib/rabbitmq/.erlang.cookie
      - file: /etc/rabbitmq/rabbitmq.conf
