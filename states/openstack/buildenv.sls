build-essential:
  pkg.installed

python3-dev:
  pkg.installed

git:
  pkg.installed

devel-pkgs:
  pkg.installed:
    - pkgs:
      - libmariadbd-dev
      - libffi-dev
      - libxml2-dev
      - libssl-dev
      - libpcre3        # used by uwsgi
      - libpcre3-dev    # used by uwsgi

#
# At this time (201610), python-tz available in jessie is too old for some
# dependencies of openstack newton. Since there is no dependency, just pick
# up the stretch package (by hand).
#
# bookworm: its own python3-tz (2022.7) is recent enough; the hand-picked
# .deb is gone (see states/README.md).
#
python3-tz:
  pkg.installed

# bookworm: Debian's pip replaces get-pip.py (no download, see states/README.md).
python3-pip:
  pkg.installed

# bookworm: Debian's uwsgi (2.0.21) and its Python 3 plugin rather than a pip build from
# PyPI (no download from the internet; see states/README.md).
{% for p in ['uwsgi'] %}
{{p}}:
  pkg.installed:
    - pkgs:
      - uwsgi
      - uwsgi-plugin-python3
    - require:
      - pkg: build-essential
      - pkg: python3-dev
      - pkg: git
      - pkg: devel-pkgs
      - pkg: python3-pip
{% endfor %}

# bookworm/Brine: nothing else creates the osbuild user (no user.present yet).
osbuild user:
  cmd.run:
    - name: useradd --create-home --user-group osbuild
    - unless: id osbuild

/home/osbuild/tmp:
  file.directory:
    - user: osbuild
    - group: osbuild
    - require:
      - cmd: osbuild user
