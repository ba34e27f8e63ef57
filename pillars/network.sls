# Address plan of the controllers (example, private ranges).
# An address is <netprefix.NET.prefix>.<netsuffix.HOST>; `os` is the floating one.
netprefix:
  srv:
    prefix: '10.0.0'
    network: '10.0.0.0'
    class: 24
  api:
    prefix: '10.0.1'
    network: '10.0.1.0'
    class: 24
  data:
    prefix: '10.0.2'
    network: '10.0.2.0'
    class: 24

netsuffix:
  os: 1
  ctrl-1: 11
  ctrl-2: 12
  ctrl-3: 13
