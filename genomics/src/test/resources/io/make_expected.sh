#!/usr/bin/env bash
# Regenerates the reference answers (samtools/bcftools) and the excerpts of real data used by the
# dev.strand.genomics.io tests. Run from this directory on a Debian/Ubuntu machine:
#   apt-get install -y samtools bcftools bowtie2-examples htslib-test augustus-doc any2fasta-examples
#   ./make_expected.sh
# The Java tests only read the committed outputs; they never run these tools.
set -euo pipefail
cd "$(dirname "$0")"

# --- Phage lambda (bowtie2-examples) and samtools faidx answers -----------------------------------
zcat /usr/share/doc/bowtie2/examples/reference/lambda_virus.fa.gz > lambda/lambda_virus.fa
samtools faidx lambda/lambda_virus.fa
mv lambda/lambda_virus.fa.fai lambda/lambda_virus.samtools.fai   # keep it out of FastaGenome's way
CONTIG='gi|9626243|ref|NC_001416.1|'
LEN=$(cut -f2 lambda/lambda_virus.samtools.fai)
# 20 random regions (1-based inclusive, fixed seed), then 3 edge cases: first base, across a line
# break (70 bases per line), last 10 bases.
awk -v seed=20250601 -v len="$LEN" -v c="$CONTIG" 'BEGIN {
  srand(seed)
  for (i = 0; i < 20; i++) { n = 1 + int(rand() * 500); s = 1 + int(rand() * (len - n)); print c ":" s "-" (s + n - 1) }
  print c ":1-1"; print c ":65-75"; print c ":" (len - 9) "-" len
}' > lambda/regions.txt
cp lambda/lambda_virus.samtools.fai lambda/lambda_virus.fa.fai
samtools faidx lambda/lambda_virus.fa -r lambda/regions.txt > lambda/regions.samtools.fa
samtools faidx -i lambda/lambda_virus.fa -r lambda/regions.txt > lambda/regions_rc.samtools.fa
rm lambda/lambda_virus.fa.fai

# --- A VCF on lambda with one deliberately wrong REF, and bcftools' verdict ----------------------
base() { samtools faidx lambda/lambda_virus.fa "$CONTIG:$1-$2" | tail -n +2 | tr -d '\n'; }
printf '##fileformat=VCFv4.2\n##contig=<ID=%s,length=%s>\n' "$CONTIG" "$LEN" > lambda/check_ref.vcf
printf '#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n' >> lambda/check_ref.vcf
{
  for p in 1 5000 12345 27777 39999 45000 48000; do
    r=$(base $p $p); a=$( [ "$r" = A ] && echo C || echo A )
    printf '%s\t%s\tsnv%s\t%s\t%s\t.\tPASS\t.\n' "$CONTIG" $p $p "$r" "$a"
  done
  r=$(base 20000 20000); w=$( [ "$r" = G ] && echo T || echo G )          # the wrong REF
  printf '%s\t20000\twrong_ref\t%s\t%s\t.\tPASS\t.\n' "$CONTIG" "$w" "$r"
  r=$(base 30001 30003); printf '%s\t30001\tdel\t%s\t%s\t.\tPASS\t.\n' "$CONTIG" "$r" "${r:0:1}"
  r=$(base 48502 48502); printf '%s\t48502\tlast\t%s\t%sGA\t.\tPASS\t.\n' "$CONTIG" "$r" "$r"
} | sort -t$'\t' -k2,2n >> lambda/check_ref.vcf
{
  echo "# bcftools $(bcftools --version | head -1 | cut -d' ' -f2): norm --check-ref e (stops at the first mismatch)"
  bcftools norm --check-ref e -f lambda/lambda_virus.fa lambda/check_ref.vcf -o /dev/null 2>&1 && echo "exit 0" || echo "exit $?"
  echo "# norm --check-ref w (warns for each mismatch)"
  bcftools norm --check-ref w -f lambda/lambda_virus.fa lambda/check_ref.vcf -o /dev/null 2>&1 || true
} > lambda/check_ref.bcftools.txt
rm -f lambda/lambda_virus.fa.fai

# --- htslib-test edge cases ----------------------------------------------------------------------
H=/usr/share/htslib-test/test
cp $H/faidx.fa $H/xx.fa $H/xx.fa.fai $H/md.fa $H/fastq/multiline.fa $H/emptyfile \
   $H/tabix/large_chr.vcf $H/noroundtrip.vcf $H/formatcols.vcf $H/test-vcf-hdr-in.vcf $H/vcf_meta_meta.vcf \
   $H/tabix/bed_file.bed $H/tabix/gff_file.gff $H/bgziptest.txt $H/bgziptest.txt.gz $H/bgziptest.txt.gz.gzi htslib/
# faidx.fa starts with a record whose name is empty; without it samtools indexes the rest:
tail -n +3 htslib/faidx.fa > htslib/faidx_named.fa
samtools faidx htslib/faidx_named.fa
mv htslib/faidx_named.fa.fai htslib/faidx_named.samtools.fai
samtools faidx htslib/faidx.fa && mv htslib/faidx.fa.fai htslib/faidx.samtools.fai

# --- GenBank: two Leptospira kirschneri records (any2fasta-examples) ------------------------------
zcat /usr/share/doc/any2fasta/examples/test.gbk.gz | awk '
  /^LOCUS/ { keep = ($2 == "NZ_AHMY02000037" || $2 == "NZ_AHMY02000032") }
  keep' | gzip -9n > genbank/leptospira_2records.gbk.gz

# --- AUGUSTUS training genes: the first 5 records of genes.gb and the chr2R bases they cover ------
awk '/^LOCUS/ { n++ } n <= 5' /usr/share/doc/augustus/tutorial/results/genes.gb > augustus/genes_first5.gb
cp /usr/share/doc/augustus/tutorial/data/chr2R.fa /tmp/chr2R_make_expected.fa
samtools faidx /tmp/chr2R_make_expected.fa chr2R:2023932-2026830 chr2R:2060221-2077926 > augustus/chr2R_regions.fa
rm -f /tmp/chr2R_make_expected.fa /tmp/chr2R_make_expected.fa.fai
echo done
