# Shared by bench/parse and bench/run-all: choosing the build to measure.
# Source it after setting $top (the source tree) and $here (bench/).

say() { echo "${BENCH_NAME:-bench}: $*" >&2; }

# A Makefile variable of a configured build directory.
makevar() { sed -n "s/^$2 = //p" "$1/Makefile" | head -n 1; }

# Non-zero unless $1 is a configured build with -O1..3 and no sanitizers:
# timing an ASan build measures ASan.
optimised() {
	local cflags
	[ -f "$1/Makefile" ] || return 1
	[ -z "$(makevar "$1" SAN_CFLAGS)" ] || return 1
	cflags=" $(makevar "$1" CFLAGS) "
	[[ $cflags =~ [[:space:]]-O[123s]?[[:space:]] ]]
}

# bench_build DIR ANY: prints the build directory to use.  DIR (may be
# empty) is the one asked for; with ANY=1 it is used even when it is not
# optimised (--quick only checks that the benchmarks run).  Otherwise
# build-check/ or build-demo/ if optimised, else bench/.build, configured
# here (-O2, no sanitizers) on first use.
bench_build() {
	local build=$1 any=$2 d
	if [ -n "$build" ] && [ "$any" != 1 ] && ! optimised "$build"; then
		say "$build is not an optimised build without sanitizers; using bench/.build"
		build=
	fi
	if [ -z "$build" ]; then
		for d in "$top/build-check" "$top/build-demo"; do
			if optimised "$d"; then
				build=$d
				break
			fi
		done
	fi
	if [ -z "$build" ]; then
		build=$here/.build
		if [ ! -f "$build/Makefile" ]; then
			if [ -f "$top/config.status" ]; then
				say "the source tree is configured in place; run 'make distclean' there or give a build directory"
				return 1
			fi
			if [ ! -x "$top/configure" ]; then
				say "autoreconf -fi"
				(cd "$top" && autoreconf -fi) >&2 || return 1
			fi
			say "configuring an optimised build in $build"
			mkdir -p "$build"
			if ! (cd "$build" && "$top/configure" CFLAGS="-O2 -g") \
			    >"$build/configure.out" 2>&1; then
				cat "$build/configure.out" >&2
				return 1
			fi
		fi
	fi
	(cd "$build" && pwd)
}
