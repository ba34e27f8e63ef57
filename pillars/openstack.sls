openstack:
  admin:
    password: changeme-openstack-admin

# Node that bootstraps the clusters (rabbitmq, galera, pacemaker).
# The orchestration may override it: brine orch run prereqos --pillar '{"firstnode": "ctrl-2"}'
firstnode: ctrl-1
