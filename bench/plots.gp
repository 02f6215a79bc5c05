# The benchmark plots, made by bench/report: gnuplot -e "dir='DIR'" plots.gp
# Reads DIR/per-engagement.dat and DIR/call-cost.dat, writes PNGs to DIR.

set terminal pngcairo size 800,450 font "sans,10"
set grid ytics
set key top left

# One data block per kernel, in the order bench/report wrote them; the
# block's comment line names the kernel.
kernels = system("grep '^# ' " . dir . "/per-engagement.dat | cut -c3-")

set output dir . "/per-engagement.png"
set title "Time of one engage write by how many are already engaged (median of each 50, QEMU TCG)"
set xlabel "engagements already in place"
set ylabel "milliseconds per engage write"
set yrange [0:*]
plot for [i = 1:words(kernels)] dir . "/per-engagement.dat" index (i - 1) \
	using 1:2 with linespoints title word(kernels, i)

set output dir . "/call-cost.png"
set title "Nanoseconds per call (median, QEMU TCG)"
set xlabel ""
set ylabel "ns per call"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set boxwidth 0.9
set key top left autotitle columnheader
set xtics ("write(-1), floor" 0, "getpgid" 1, "getpgid engaged" 2, "getpgid scoped, root" 3)
plot for [i = 2:words(kernels) + 1] dir . "/call-cost.dat" using i
