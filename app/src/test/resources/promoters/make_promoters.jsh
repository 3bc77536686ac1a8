// Cuts the small real promoter set in this directory from the promoter task Strand builds from
// Debian's files (see README.md here). Run from the repository root after ./strand build:
//   STRAND_DATA=<dir where r-bioc-biostrings was extracted> jshell --class-path "$(ls app/target/strand-app.jar app/target/lib/*.jar | paste -sd:)" \
//       -R--add-modules=jdk.incubator.vector app/src/test/resources/promoters/make_promoters.jsh
import dev.strand.genomics.tasks.*;
import java.nio.file.Path;

TaskData task = DebianData.standard().promoters(PromoterTask.Config.defaults(1));
FineTuningData full = FineTuningData.of(task, 0.1, 1);
Path dir = Path.of("app/src/test/resources/promoters");
full.train().split(240.0 / full.train().size(), 0, 7).train().write(dir.resolve("train.csv"));
full.dev().split(80.0 / full.dev().size(), 0, 7).train().write(dir.resolve("dev.csv"));
full.test().split(80.0 / full.test().size(), 0, 7).train().write(dir.resolve("test.csv"));
System.out.println(task.summary());
/exit
