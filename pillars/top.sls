base:
  'ctrl-*':
    - network
    - rabbitmq
    - mysql-galera
    - ha
    - openstack
    - keepalived
