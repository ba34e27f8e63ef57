#
# RabbitMQ
#

rabbitmq deploy:
  salt.state:
    - tgt: 'ctrl-*'
    - sls: rabbitmq-server.deploy

rabbitmq setup:
  salt.state:
    - tgt: '{{pillar['firstnode']}}.*'
    - sls: rabbitmq-server.setup
    - require:
      - salt: rabbitmq deploy

rabbitmq join:
  salt.state:
    - tgt: 'ctrl-* and not {{pillar['firstnode']}}.*'
    - tgt_type: compound
    - sls: rabbitmq-server.join
    - require:
      - salt: rabbitmq setup

#
# MariaDB / Galera
#

mariadb deploy:
  salt.state:
    - tgt: 'ctrl-*'
    - sls: mariadb-galera.deploy

mariadb setup:
  salt.state:
    - tgt: '{{pillar['firstnode']}}.*'
    - sls: mariadb-galera.setup
    - require:
      - salt: mariadb deploy

mariadb join:
   salt.state:
     - tgt: 'ctrl-* and not {{pillar['firstnode']}}.*'
     - tgt_type: compound
     - sls: mariadb-galera.join
     - require:
       - salt: mariadb setup

#
# corosync / pacemaker / haproxy
#

ha deploy:
  salt.state:
    - tgt: 'ctrl-*'
    - sls: ha.deploy

ha setup:
  salt.state:
    - tgt: '{{pillar['firstnode']}}.*'
    - sls: ha.setup
    - require:
      - salt: ha deploy

#
# Apache HTTPD
#

apache httpd:
  salt.state:
    - tgt: 'ctrl-*'
    - sls: openstack.apache

#
# Pypi environment
#

openstack buildenv:
  salt.state:
    - tgt: 'ctrl-*'
    - sls: openstack.buildenv

#
# OpenStack user files
#

openstack rc:
  salt.state:
    - tgt: 'ctrl-*'
    - sls: openstack.rc
