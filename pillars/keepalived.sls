# Keepalived (states/keepalived): VRRP settings; the floating address is the
# api network's `os` address (netprefix:api + netsuffix:os).
keepalived:
  notification_email: root@localhost
  notification_email_from: keepalived@localhost
  smtp_server: 127.0.0.1    # keepalived refuses a name it cannot resolve
  interface: eth0
  auth_pass: changeme     # VRRP PASS authentication uses at most 8 characters
  nodes:
    ctrl-1:
      state: MASTER
      priority: 200
    ctrl-2:
      state: BACKUP
      priority: 100
    ctrl-3:
      state: BACKUP
      priority: 50
