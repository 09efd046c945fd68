// Runs EPUBCheck on several EPUBs in one JVM: java -cp epubcheck.jar EpubCheckBatch.java
// BOOK.epub REPORT.json [BOOK.epub REPORT.json ...]. One JVM start instead of one per book.
import com.adobe.epubcheck.tool.EpubChecker;

public class EpubCheckBatch {
    public static void main(String[] args) {
        for (int i = 0; i + 1 < args.length; i += 2) {
            new EpubChecker().run(new String[] {args[i], "--json", args[i + 1]});
        }
    }
}
