#!/usr/bin/env python3
# check-cli-docs.py: the man pages and the bash completion against the programs
#
#   check-cli-docs.py completion FHIRCAST COMPLETION-SCRIPT
#   check-cli-docs.py man FHIRCAST FHIRCAST-MONITOR|- FHIRCAST.1 [FHIRCAST-MONITOR.1]
#   check-cli-docs.py lint MAN-PAGE…
#   check-cli-docs.py docs FHIRCAST PAGE.md…
#
# completion: sources the completion in bash and completes, as bash would,
#   every command of `fhircast --help` and every option of `fhircast COMMAND
#   --help`; the offered options must be exactly those, FILE values must
#   complete file names, other values nothing, and flags must take no value.
# man: every command has a ".SS fhircast COMMAND" section in fhircast(1) whose
#   ".TP" items are exactly the options (with their value names) that
#   `fhircast COMMAND --help` prints; the same for fhircast-monitor(1)'s
#   OPTIONS and `fhircast-monitor --help`.
# lint: `groff -ww -z -man` and `man --warnings -l` print no warning.
#   Exit 77 (skip) when neither is installed.
# docs: the Markdown pages (docs/cli.md, docs/hub.md) against the program:
#   the part of a page under a heading that names `fhircast COMMAND` (down to
#   the next heading of the same or a higher level) documents COMMAND. Every
#   option on a `fhircast COMMAND …` line of a code block and in the first
#   column of a table there must be an option of `fhircast COMMAND --help`;
#   every option in the prose must be an option of some command; and every
#   option of `fhircast COMMAND --help` must appear in its part.
#
# Standard library only, so that it runs in the Flatpak SDK too.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile

failures = []


def fail(message):
    failures.append(message)
    print('FAIL: ' + message, file=sys.stderr)


def run(argv, **kwargs):
    env = dict(os.environ, LC_ALL='C.UTF-8', LANGUAGE='')
    return subprocess.run(argv, capture_output=True, text=True, env=env, **kwargs)


def help_text(argv):
    result = run(argv + ['--help'])
    if result.returncode != 0:
        sys.exit(f'{" ".join(argv)} --help: exit status {result.returncode}: {result.stderr}')
    return result.stdout


def commands_of(fhircast):
    """The commands listed under "Commands:" in `fhircast --help`."""
    commands, inside = [], False
    for line in help_text([fhircast]).splitlines():
        if line.strip() == 'Commands:':
            inside = True
        elif inside and line.startswith('  ') and line.strip():
            commands.append(line.split()[0])
        elif inside:
            inside = False
    if not commands:
        sys.exit('no commands found in `fhircast --help`')
    return commands


OPTION_LINE = re.compile(r'^\s+((?:-\w, )?--[\w-]+(?:=\S+)?)(?:\s|$)')


def options_of(argv, groups=('Application Options:',)):
    """{tag: metavar or None} for the GOption help of argv, e.g. {'-r, --role=ROLE': 'ROLE'}.
    Only the given option groups ("Help Options:", "Application Options:")."""
    options, inside = {}, False
    for line in help_text(argv).splitlines():
        if line and not line.startswith(' '):
            inside = line.strip() in groups
            continue
        m = OPTION_LINE.match(line)
        if inside and m:
            tag = m.group(1)
            options[tag] = tag.split('=', 1)[1] if '=' in tag else None
    return options


def long_name(tag):
    return re.search(r'--[\w-]+', tag).group(0)


# ------------------------------------------------------------------ completion

BASH_DRIVER = r"""
source "$1" || exit 2
spec=$(complete -p fhircast) || { echo "no completion registered for fhircast" >&2; exit 2; }
func=${spec#*-F }
func=${func%% *}
# q WORD…: what bash offers for the command line WORD… (the last one being
# completed), one per line, then a record separator.
q () {
  COMP_WORDS=("$@")
  COMP_CWORD=$(($# - 1))
  COMP_LINE="$*"
  COMP_POINT=${#COMP_LINE}
  COMPREPLY=()
  "$func" fhircast "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
  printf '%s\n' "${COMPREPLY[@]}"
  printf '\036\n'
}
"""


def check_completion(fhircast, script):
    bash = shutil.which('bash')
    if bash is None:
        print('bash not found: skipping')
        sys.exit(77)

    commands = commands_of(fhircast)
    options = {command: options_of([fhircast, command], groups=('Help Options:', 'Application Options:'))
               for command in commands}
    names = {command: sorted({long_name(tag) for tag in options[command]}) for command in commands}

    # (words, check(offered)): every completion asked of bash, in one bash process
    queries = []

    def expect(words, wanted, exact=True):
        def check(got):
            if sorted(got) != sorted(wanted) if exact else not set(wanted) <= set(got):
                fail(f'fhircast {" ".join(words)}<TAB> offers {sorted(got)}, '
                     f'expected {"" if exact else "at least "}{sorted(wanted)}')
        queries.append((words, check))

    expect([''], commands)
    expect(['va'], ['validate'])
    expect(['--v'], ['--version'])
    expect(['hub', '--p'], ['--port'], exact=False)
    expect(['validate', '--role', ''], ['request', 'notification', 'any'])
    expect(['validate', '-r', 'no'], ['notification'])
    expect(['validate', 'probe-'], ['probe-input.json'])
    expect(['hub', '--tokens', 'probe'], ['probe-input.json'])
    expect(['hub', '--tokens', '=', ''], ['probe-input.json'])
    expect(['hub', '--tls-cert', '=', 'pro'], ['probe-input.json'])
    expect(['publish', 'DiagnosticReport-o'], ['DiagnosticReport-open'])
    expect(['watch', '--events', 'DiagnosticReport-open,Sync'], ['DiagnosticReport-open,SyncError'])
    expect(['no-such-command', '--'], [])

    for command in commands:
        def check_options(got, command=command):
            if sorted(got) != names[command]:
                missing = sorted(set(names[command]) - set(got))
                extra = sorted(set(got) - set(names[command]))
                fail(f'`fhircast {command} --help` and the completion differ: '
                     f'not completed {missing}, completed but unknown {extra} '
                     f'(edit data/completions/fhircast)')
        queries.append(([command, '--'], check_options))

        for tag, metavar in options[command].items():
            name = long_name(tag)
            if metavar is None:
                def check_flag(got, command=command, name=name):
                    if sorted(got) != names[command]:
                        fail(f'fhircast {command} {name} --<TAB>: {name} takes no value, '
                             f'but the completion treats it as taking one')
                # a flag: the next word is not its value
                queries.append(([command, name, '--'], check_flag))
                continue
            def check_not_flag(got, command=command, name=name, metavar=metavar):
                if got:
                    fail(f'fhircast {command} {name} --<TAB>: {name}={metavar} takes a value, '
                         f'but the completion offers {got} after it')
            # "--" is the option's value here, not the start of another option
            queries.append(([command, name, '--'], check_not_flag))
            for words in ([command, name, ''], [command, name, '=', '']):
                def check_value(got, words=words, name=name, metavar=metavar):
                    if metavar == 'FILE' and 'probe-input.json' not in got:
                        fail(f'fhircast {" ".join(words)}<TAB>: {name}={metavar} should complete '
                             f'file names, got {got}')
                    elif metavar != 'FILE' and ('probe-input.json' in got or
                                                any(w.startswith('-') for w in got)):
                        fail(f'fhircast {" ".join(words)}<TAB>: {name}={metavar} takes a value, '
                             f'not a file name or an option; got {got}')
                queries.append((words, check_value))

    workdir = tempfile.mkdtemp(prefix='fcm-completion.')
    try:
        with open(os.path.join(workdir, 'probe-input.json'), 'w') as f:
            f.write('{}\n')
        program = BASH_DRIVER + ''.join(
            'q fhircast ' + ' '.join(shlex.quote(w) for w in words) + '\n' for words, _ in queries)
        result = subprocess.run([bash, '--norc', '--noprofile', '-c', program, 'driver',
                                 os.path.abspath(script)],
                                capture_output=True, text=True, cwd=workdir,
                                env=dict(os.environ, LC_ALL='C.UTF-8'))
    finally:
        shutil.rmtree(workdir)
    if result.returncode != 0 or result.stderr:
        fail(f'bash: exit status {result.returncode}: {result.stderr.strip()}')
        return
    records = result.stdout.split('\036\n')[:-1]
    if len(records) != len(queries):
        fail(f'bash answered {len(records)} of {len(queries)} completions')
        return
    for (words, check), record in zip(queries, records):
        check([w for w in record.split('\n') if w])

    if not failures:
        print(f'completion: {len(commands)} commands and their options match `--help` '
              f'({len(queries)} completions)')


# ------------------------------------------------------------------ man pages

def roff_text(line):
    """The plain text of a roff line: font escapes dropped, \\- as -."""
    line = re.sub(r'\\f(\[[^]]*\]|\(..|.)', '', line)
    line = line.replace('\\-', '-').replace('\\ ', ' ').replace('\\&', '').replace('\\e', '\\')
    if line.startswith('.'):
        # a macro line (.B, .BR, .BI …): its arguments, quotes dropped, joined
        # as the alternating-font macros join them
        macro, _, args = line.partition(' ')
        words = re.findall(r'"([^"]*)"|(\S+)', args)
        words = [a or b for a, b in words]
        line = ''.join(words) if macro in ('.BR', '.BI', '.IR', '.RB', '.IB', '.RI') else ' '.join(words)
    return line.strip()


def sections(path):
    """{(".SH" or ".SS", title): [lines]} of a man page."""
    result, current = {}, None
    with open(path, encoding='utf-8') as f:
        for line in f:
            line = line.rstrip('\n')
            m = re.match(r'^\.(SH|SS)\s+"?([^"]*)"?\s*$', line)
            if m:
                current = ('.' + m.group(1), m.group(2).replace('\\-', '-'))
                result[current] = []
            elif current is not None:
                result[current].append(line)
    return result


def tp_tags(lines):
    """The tags of the .TP items that name options."""
    tags = []
    for i, line in enumerate(lines[:-1]):
        if line.startswith('.TP'):
            tag = roff_text(lines[i + 1])
            if tag.startswith('-'):
                tags.append(tag)
    return tags


def compare(what, documented, actual, page):
    missing = sorted(set(actual) - set(documented))
    extra = sorted(set(documented) - set(actual))
    if missing or extra:
        fail(f'{what}: not in {page}: {missing}; in {page} but not in --help: {extra}')


def check_man(fhircast, monitor, fhircast_page, monitor_page):
    secs = sections(fhircast_page)
    commands = commands_of(fhircast)
    documented = [title.split(' ', 1)[1] for (kind, title) in secs
                  if kind == '.SS' and title.startswith('fhircast ')]
    compare('fhircast commands', documented, commands, fhircast_page)
    for command in commands:
        lines = secs.get(('.SS', f'fhircast {command}'), [])
        compare(f'`fhircast {command}` options', tp_tags(lines),
                list(options_of([fhircast, command])), fhircast_page)
    checked = f'{fhircast_page}: {len(commands)} commands'

    if monitor != '-':
        lines = sections(monitor_page).get(('.SH', 'OPTIONS'))
        if lines is None:
            fail(f'{monitor_page} has no OPTIONS section')
            lines = []
        tags = [t for t in tp_tags(lines) if long_name(t) != '--help']
        compare('fhircast-monitor options', tags, list(options_of([monitor])), monitor_page)
        checked += f', {monitor_page}'
    if not failures:
        print(f'man: {checked}: options match `--help`')


def check_lint(pages):
    groff = shutil.which('groff')
    man = shutil.which('man')
    if groff is None and man is None:
        print('neither groff nor man installed: skipping')
        sys.exit(77)
    for page in pages:
        if groff is not None:
            result = run([groff, '-ww', '-z', '-man', page])
            if result.returncode != 0 or result.stderr:
                fail(f'groff -ww -z -man {page}: {result.stderr.strip()} (exit status {result.returncode})')
        if man is not None:
            env = dict(os.environ, LC_ALL='C.UTF-8', MANWIDTH='80', MAN_DISABLE_SECCOMP='1')
            result = subprocess.run([man, '--warnings', '-l', page], capture_output=True, text=True,
                                    env=env, stdin=subprocess.DEVNULL)
            if result.returncode != 0 or result.stderr:
                fail(f'man --warnings -l {page}: {result.stderr.strip()} (exit status {result.returncode})')
            elif 'NAME' not in result.stdout or 'SYNOPSIS' not in result.stdout:
                fail(f'man -l {page}: no NAME or SYNOPSIS in the output')
    if not failures:
        print(f'lint: {len(pages)} pages without warnings '
              f'({", ".join(p for p, t in (("groff", groff), ("man", man)) if t)})')


# ------------------------------------------------------------------ Markdown docs

DOC_OPTION = re.compile(r'(?<![\w-])--[a-z][a-z0-9-]*')
DOC_HEADING = re.compile(r'^(#+)\s+(.*)$')
DOC_COMMAND = re.compile(r'`fhircast ([a-z]+)')


def doc_parts(path, commands):
    """[(command, [(kind, line)])]: the parts of a page that document a command;
    kind is 'code', 'table' or 'prose'."""
    parts, current, level, in_code = [], None, 0, False
    with open(path, encoding='utf-8') as f:
        for line in f:
            line = line.rstrip('\n')
            if line.startswith('```'):
                in_code = not in_code
                continue
            m = None if in_code else DOC_HEADING.match(line)
            if m:
                depth = len(m.group(1))
                named = DOC_COMMAND.search(m.group(2))
                if named and named.group(1) in commands:
                    current, level = (named.group(1), []), depth
                    parts.append(current)
                elif current is not None and depth <= level:
                    current = None
                if current is not None:
                    current[1].append(('prose', m.group(2)))
                continue
            if current is None:
                continue
            if in_code:
                current[1].append(('code', line))
            elif line.startswith('|'):
                current[1].append(('table', line))
            else:
                current[1].append(('prose', line))
    return parts


def code_invocations(lines):
    """(command, text) for every `fhircast COMMAND …` in the code lines, with
    continued lines joined and each pipeline stage separate."""
    joined, buf = [], ''
    for line in lines:
        if line.endswith('\\'):
            buf += line[:-1] + ' '
            continue
        joined.append(buf + line)
        buf = ''
    if buf:
        joined.append(buf)
    for line in joined:
        line = line.split(' #', 1)[0]
        for stage in re.split(r'\||;|&&|\$\(|\)', line):
            yield from stage_invocations(stage)


def stage_invocations(stage):
    """One shell command: `fhircast CMD` owns the options after it, except
    those inside a quoted word that runs fhircast itself ("--command
    'fhircast watch --hub …'"), which is an invocation of its own."""
    try:
        words = shlex.split(stage)
    except ValueError:
        words = stage.split()
    command, text = None, []
    for i, word in enumerate(words):
        if ' ' in word and re.search(r'\bfhircast [a-z]+', word):
            yield from stage_invocations(word)
            continue
        if word == 'fhircast' and i + 1 < len(words) and re.fullmatch(r'[a-z]+', words[i + 1]):
            if command:
                yield command, ' '.join(text)
            command, text = words[i + 1], []
            continue
        text.append(word)
    if command:
        yield command, ' '.join(text)


def prose_spans(line):
    """(program, text) for each `…` span of a prose line (program: the command
    it runs, '' for bare options) and ('', rest) for the text outside them."""
    outside = re.sub(r'`[^`]*`', ' ', line)
    yield '', outside
    for span in re.findall(r'`([^`]*)`', line):
        m = re.match(r'\s*fhircast ([a-z]+)', span)
        if m:
            yield 'fhircast ' + m.group(1), span
        elif re.match(r'\s*[A-Za-z][\w.-]*\s', span) and not span.lstrip().startswith('-'):
            yield span.split()[0], span
        else:
            yield '', span


def check_docs(fhircast, pages):
    commands = commands_of(fhircast)
    options = {c: {long_name(t) for t in options_of([fhircast, c], groups=('Help Options:', 'Application Options:'))}
               for c in commands}
    every = set().union(*options.values()) | {'--help', '--version'}
    documented = {}
    for page in pages:
        for command, lines in doc_parts(page, commands):
            seen = documented.setdefault(command, set())
            for kind, line in lines:
                if kind == 'code':
                    for invoked, text in code_invocations([line]):
                        if invoked not in options:
                            fail(f'{page}: `fhircast {invoked}` is not a command of `fhircast --help`')
                            continue
                        for opt in DOC_OPTION.findall(text):
                            if opt not in options[invoked]:
                                fail(f'{page}: `fhircast {invoked} {opt}` in an example, but '
                                     f'`fhircast {invoked} --help` has no {opt}')
                            if invoked == command:
                                seen.add(opt)
                    continue
                if kind == 'table':
                    first = line.strip('|').split('|')[0]
                    for opt in DOC_OPTION.findall(first):
                        if opt not in options[command]:
                            fail(f'{page}: the table of `fhircast {command}` has {opt}, '
                                 f'which `fhircast {command} --help` does not list')
                for program, text in prose_spans(line):
                    found = DOC_OPTION.findall(text)
                    if program.startswith('fhircast '):
                        invoked = program.split()[1]
                        for opt in found:
                            if opt not in options.get(invoked, ()):
                                fail(f'{page}: `{program} … {opt}`, but `{program} --help` has no {opt}')
                    elif program:
                        continue      # another program's options (meson, npm …)
                    else:
                        for opt in found:
                            if opt not in every:
                                fail(f'{page}: {opt} is no option of any fhircast command')
                    if not program or program == 'fhircast ' + command:
                        seen.update(o for o in found if o in options[command])
    for command, seen in sorted(documented.items()):
        missing = sorted(options[command] - seen - {'--help'})
        if missing:
            fail(f'`fhircast {command} --help` has {missing}, which its part of the docs never mentions')
    if not failures:
        print(f'docs: {", ".join(pages)}: {len(documented)} commands '
              f'({", ".join(sorted(documented))}) match their `--help`')


def main(argv):
    if len(argv) >= 4 and argv[1] == 'completion':
        check_completion(argv[2], argv[3])
    elif len(argv) >= 5 and argv[1] == 'man':
        check_man(argv[2], argv[3], argv[4], argv[5] if len(argv) > 5 else None)
    elif len(argv) >= 3 and argv[1] == 'lint':
        check_lint(argv[2:])
    elif len(argv) >= 4 and argv[1] == 'docs':
        check_docs(argv[2], argv[3:])
    else:
        sys.exit('usage: see the head of tests/check-cli-docs.py')
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
