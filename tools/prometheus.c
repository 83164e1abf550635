// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Prometheus text exposition format (version 0.0.4), as node_exporter's
 * textfile collector reads it: each family's HELP and TYPE lines and then
 * all its samples, label values escaped (backslash, double quote,
 * newline), one series per label set.
 */
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "libmseal.h"
#include "path-escape.h"
#include "prometheus.h"

static const int image_classes[] = { CLS_TEXT, CLS_RODATA, CLS_RELRO, CLS_RO };
#define NIMAGE (sizeof(image_classes) / sizeof(image_classes[0]))

/* One executable's processes, summed. */
struct exe_sum {
	const char *exe;
	struct proc_info sum;
	unsigned long procs;
};

/*
 * A label value is UTF-8 text; a COMM or an exe path is bytes another
 * user chose. Bytes that are not UTF-8 become "\xHH" as in `mseal maps
 * -J` (path-escape.h), so one odd name cannot make node_exporter reject
 * the whole file; then the format's own escapes.
 */
static void put_escaped(FILE *f, const char *s)
{
	char step[LIBMSEAL_PATH_STEP_MAX];

	while (*s) {
		size_t n = libmseal_path_escape_step(&s, step, 0);

		for (size_t i = 0; i < n; i++) {
			if (step[i] == '\\')
				fputs("\\\\", f);
			else if (step[i] == '"')
				fputs("\\\"", f);
			else if (step[i] == '\n')
				fputs("\\n", f);
			else
				fputc(step[i], f);
		}
	}
}

static void family(FILE *f, const char *name, const char *help)
{
	fprintf(f, "# HELP %s %s\n# TYPE %s gauge\n", name, help, name);
}

static const char *exe_label(const struct proc_info *pi)
{
	return pi->exe[0] ? pi->exe : "unknown";
}

static void labels(FILE *f, const struct proc_info *pi, int by_pid,
		   const char *cls)
{
	fputc('{', f);
	if (by_pid)
		fprintf(f, "pid=\"%d\",comm=\"", pi->pid);
	if (by_pid) {
		put_escaped(f, pi->comm);
		fputs("\",", f);
	}
	fputs("exe=\"", f);
	put_escaped(f, exe_label(pi));
	fputc('"', f);
	if (cls)
		fprintf(f, ",class=\"%s\"", cls);
	fputc('}', f);
}

static double ratio(uint64_t part, uint64_t whole)
{
	return whole ? (double)part / (double)whole : 0.0;
}

/* What the samples of a per-executable or per-process family count. */
enum series_value {
	VAL_PROCS,		/* processes (per executable only) */
	VAL_MAPS,
	VAL_SEALED_MAPS,
	VAL_IMAGE,		/* one sample per image class */
	VAL_IMAGE_SEALED,	/* one sample per image class */
	VAL_COVERAGE,
};

static const struct {
	const char *suffix;
	const char *help;
	enum series_value value;
} series_families[] = {
	{ "processes", "Processes running this executable.", VAL_PROCS },
	{ "mappings", "Mappings (VMAs).", VAL_MAPS },
	{ "sealed_mappings", "Sealed mappings (VmFlags sl).", VAL_SEALED_MAPS },
	{ "image_bytes", "ELF image bytes mapped, by class.", VAL_IMAGE },
	{ "image_sealed_bytes", "ELF image bytes sealed, by class.",
	  VAL_IMAGE_SEALED },
	{ "coverage_ratio",
	  "Fraction of ELF image bytes (text, rodata, RELRO, read-only) sealed.",
	  VAL_COVERAGE },
};

/* The samples of family @name for one record @pi (@procs processes). */
static void samples(FILE *f, const char *name, enum series_value value,
		    const struct proc_info *pi, unsigned long procs, int by_pid)
{
	if (value == VAL_IMAGE || value == VAL_IMAGE_SEALED) {
		for (size_t c = 0; c < NIMAGE; c++) {
			int cls = image_classes[c];

			fputs(name, f);
			labels(f, pi, by_pid, obj_class_name(cls));
			fprintf(f, " %llu\n", (unsigned long long)
				(value == VAL_IMAGE_SEALED ? pi->sealed[cls] :
							     pi->total[cls]));
		}
		return;
	}
	fputs(name, f);
	labels(f, pi, by_pid, NULL);
	if (value == VAL_COVERAGE)
		fprintf(f, " %.6f\n", ratio(proc_image_sealed(pi),
					    proc_image_total(pi)));
	else
		fprintf(f, " %lu\n", value == VAL_PROCS ? procs :
				     value == VAL_MAPS ? pi->maps :
							 pi->sealed_maps);
}

/* The per-executable (with @procs) or per-process (@by_pid) families over
 * @n records. */
static void series(FILE *f, const char *prefix, const struct proc_info *v,
		   const unsigned long *procs, size_t n, int by_pid)
{
	char name[64];

	for (size_t k = 0; k < sizeof(series_families) /
				   sizeof(series_families[0]); k++) {
		enum series_value value = series_families[k].value;

		if (value == VAL_PROCS && by_pid)
			continue;
		snprintf(name, sizeof(name), "%s_%s", prefix,
			 series_families[k].suffix);
		family(f, name, series_families[k].help);
		for (size_t i = 0; i < n; i++)
			samples(f, name, value, &v[i], procs ? procs[i] : 0,
				by_pid);
	}
}

static void add_into(struct proc_info *sum, const struct proc_info *pi)
{
	sum->maps += pi->maps;
	sum->sealed_maps += pi->sealed_maps;
	for (int c = 0; c < CLS_N; c++) {
		sum->total[c] += pi->total[c];
		sum->sealed[c] += pi->sealed[c];
	}
}

static int cmp_exe(const void *a, const void *b)
{
	return strcmp(exe_label(*(const struct proc_info *const *)a),
		      exe_label(*(const struct proc_info *const *)b));
}

/* Sum by executable: @out gets one record per distinct exe label. */
static size_t by_exe(const struct prom_input *in, struct proc_info *out,
		     unsigned long *procs)
{
	const struct proc_info **order = malloc((in->n ? in->n : 1) * sizeof(*order));
	size_t m = 0;

	if (!order)
		return (size_t)-1;
	for (size_t i = 0; i < in->n; i++)
		order[i] = &in->v[i];
	qsort(order, in->n, sizeof(*order), cmp_exe);
	for (size_t i = 0; i < in->n; i++) {
		if (!m || strcmp(exe_label(&out[m - 1]), exe_label(order[i]))) {
			memset(&out[m], 0, sizeof(out[m]));
			snprintf(out[m].exe, sizeof(out[m].exe), "%s", exe_label(order[i]));
			procs[m++] = 0;
		}
		add_into(&out[m - 1], order[i]);
		procs[m - 1]++;
	}
	free(order);
	return m;
}

/* A family of one sample without labels. */
static void gauge(FILE *f, const char *name, const char *help,
		  unsigned long long value)
{
	family(f, name, help);
	fprintf(f, "%s %llu\n", name, value);
}

/* A family of one sample per image class of @bytes (indexed by class). */
static void machine_class_family(FILE *f, const char *name, const char *help,
				 const uint64_t *bytes)
{
	family(f, name, help);
	for (size_t c = 0; c < NIMAGE; c++)
		fprintf(f, "%s{class=\"%s\"} %llu\n", name,
			obj_class_name(image_classes[c]),
			(unsigned long long)bytes[image_classes[c]]);
}

static void machine(FILE *f, const struct prom_input *in)
{
	const char *src, *cfg = kernel_config_mseal_system(in->proc_root, &src);
	struct proc_info all = { 0 };
	unsigned long sealed = 0, vdso = 0;
	int sup = mseal_supported();

	for (size_t i = 0; i < in->n; i++) {
		add_into(&all, &in->v[i]);
		sealed += in->v[i].sealed_maps > 0;
		vdso += in->v[i].vdso == VDSO_YES;
	}
	gauge(f, "mseal_processes", "Processes read.", in->n);
	gauge(f, "mseal_unreadable_processes",
	      "Processes that could not be read.", in->unreadable);
	gauge(f, "mseal_sealed_processes",
	      "Processes with at least one sealed mapping.", sealed);
	gauge(f, "mseal_vdso_sealed_processes",
	      "Processes whose [vdso] is sealed.", vdso);
	machine_class_family(f, "mseal_machine_image_bytes",
			     "ELF image bytes mapped by all processes, by class.",
			     all.total);
	machine_class_family(f, "mseal_machine_image_sealed_bytes",
			     "ELF image bytes sealed in all processes, by class.",
			     all.sealed);
	gauge(f, "mseal_kernel_supported",
	      "1 when this kernel seals (mseal_supported()).", sup == 1);
	if (cfg)
		gauge(f, "mseal_kernel_config_system_mappings",
		      "1 when the kernel was built with CONFIG_MSEAL_SYSTEM_MAPPINGS=y.",
		      cfg[0] == 'y');
}

static int write_all(FILE *f, const struct prom_input *in)
{
	struct proc_info *exes = malloc((in->n ? in->n : 1) * sizeof(*exes));
	unsigned long *procs = malloc((in->n ? in->n : 1) * sizeof(*procs));
	size_t m;

	if (!exes || !procs || (m = by_exe(in, exes, procs)) == (size_t)-1) {
		free(exes);
		free(procs);
		errno = ENOMEM;
		return -1;
	}
	machine(f, in);
	series(f, "mseal_exe", exes, procs, m, 0);
	if (in->per_pid)
		series(f, "mseal_process", in->v, NULL, in->n, 1);
	free(exes);
	free(procs);
	return ferror(f) ? -1 : 0;
}

static int write_file(const struct prom_input *in, const char *file)
{
	char *dcopy = strdup(file), *bcopy = strdup(file);
	char tmp[PATH_MAX] = "";
	FILE *f = NULL;
	int fd = -1, rc = -1;

	if (!dcopy || !bcopy)
		goto out;
	snprintf(tmp, sizeof(tmp), "%s/.%s.XXXXXX", dirname(dcopy), basename(bcopy));
	fd = mkstemp(tmp);
	if (fd < 0 || fchmod(fd, 0644) < 0 || !(f = fdopen(fd, "w")))
		goto out;
	fd = -1;
	if (write_all(f, in) < 0 || fflush(f) != 0 || fsync(fileno(f)) < 0)
		goto out;
	if (fclose(f) != 0) {
		f = NULL;
		goto out;
	}
	f = NULL;
	if (rename(tmp, file) == 0)
		rc = 0;
out:
	if (rc < 0) {
		cli_error_errno(errno, "ps: writing %s", file);
		if (tmp[0])
			unlink(tmp);
	}
	if (f)
		fclose(f);
	if (fd >= 0)
		close(fd);
	free(dcopy);
	free(bcopy);
	return rc;
}

int prom_emit(const struct prom_input *in, const char *file)
{
	if (file)
		return write_file(in, file);
	if (write_all(stdout, in) < 0 || fflush(stdout) != 0) {
		cli_error_errno(errno, "ps: writing metrics");
		return -1;
	}
	return 0;
}
