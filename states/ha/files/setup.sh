#!/bin/sh

crm <<EOF
cib new conf-global

configure property stonith-enabled="false"

configure property pe-warn-series-max="1000" \
  pe-input-series-max="1000" \
  pe-error-series-max="1000" \
  cluster-recheck-interval="5min"


configure primitive vipsrv ocf:heartbeat:IPaddr2 \
  params ip="{{pillar['netprefix']['srv']['prefix']}}.{{pillar['netsuffix']['os']}}" \
  cidr_netmask="{{pillar['netprefix']['srv']['class']}}" \
  op monitor interval="30s"

configure primitive vipapi ocf:heartbeat:IPaddr2 \
  params ip="{{pillar['netprefix']['api']['prefix']}}.{{pillar['netsuffix']['os']}}" \
  cidr_netmask="{{pillar['netprefix']['api']['class']}}" \
  op monitor interval="30s"

configure primitive haproxy lsb:haproxy op monitor interval="1s"
configure clone haproxy-clone haproxy

configure colocation vip-with-haproxy inf: vipsrv vipapi haproxy-clone
configure order haproxy-after-vip mandatory: vipsrv vipapi haproxy-clone

cib commit conf-global
EOF
