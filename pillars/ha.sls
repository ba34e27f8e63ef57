# Corosync rings: multicast address (ignored by corosync 3's knet transport)
# and port of each link.
corosync:
  srv:
    mcastaddr: '239.255.0.1'
    port: 5405
  data:
    mcastaddr: '239.255.2.1'
    port: 5407

# Shared cluster key. corosync 3 refuses keys under 128 bytes: generate a real one
# (corosync-keygen, or dd if=/dev/random bs=1 count=128) and keep it out of git.
corosync-authkey: changeme-corosync-authkey-changeme-corosync-authkey-changeme-corosync-authkey-changeme-corosync-authkey-changeme-corosync-authke
