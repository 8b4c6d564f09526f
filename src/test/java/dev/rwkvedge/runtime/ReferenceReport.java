package dev.rwkvedge.runtime;

import dev.rwkvedge.model.LoadedModel;
import java.nio.*; import java.nio.file.*;
/** Prints max |diff| of our logits against every reference logits file (the numbers in docs/accuracy.md). */
public final class ReferenceReport {
  static float[] f(String p) throws Exception { ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(Path.of(p))).order(ByteOrder.LITTLE_ENDIAN); float[] o = new float[b.remaining()/4]; b.asFloatBuffer().get(o); return o; }
  static double run(String model, String logits, int[] toks, Float eps) throws Exception {
    try (LoadedModel m = LoadedModel.open(Path.of(model), eps)) {
      float[] ref = f(logits); int V = m.config().vocab();
      float[] all = m.model().forwardSequence(toks, m.model().newState(), true);
      int off = all.length - ref.length; double d = 0;
      for (int i = 0; i < ref.length; i++) d = Math.max(d, Math.abs(ref[i] - all[off + i]));
      return d;
    }
  }
  public static void main(String[] a) throws Exception {
    String R = dev.rwkvedge.Reference.root() + "/";
    int[] in = {34,105,110};
    byte[] b = "This is a port of [BlinkDL/RWKV-LM](https://github.com/BlinkDL/RWKV-LM".getBytes();
    int[] p70 = new int[b.length]; for (int i=0;i<b.length;i++) p70[i]=b[i]&0xff;
    for (String m : new String[]{"4v0-660K","5v1-730K","5v2-730K","7v0-834K"}) {
      System.out.printf("%s FP32 expected-logits %.2e  prompt70 %.2e%n", m, run(R+"rwkv.cpp/tests/tiny-rwkv-"+m+"-FP32.bin", R+"rwkv.cpp/tests/expected-logits-"+m+".bin", in, null), run(R+"rwkv.cpp/tests/tiny-rwkv-"+m+"-FP32.bin", R+"derived/rwkv.cpp-outputs/tiny-rwkv-"+m+"-FP32.prompt70.logits.f32", p70, null));
      for (String t : new String[]{"FP16","Q5_0","Q5_1"}) System.out.printf("%s %s dequantized-exact %.2e%n", m, t, run(R+"rwkv.cpp/tests/tiny-rwkv-"+m+"-"+t+".bin", R+"derived/rwkv.cpp-outputs/tiny-rwkv-"+m+"-"+t+".dequantized-exact.prompt-in.logits.f32", in, null));
    }
    for (String t : new String[]{"Q5_0","Q5_1"}) System.out.printf("6v0 %s dequantized-exact %.2e prompt70 %.2e%n", t, run(R+"rwkv.cpp/tests/tiny-rwkv-6v0-3m-"+t+".bin", R+"derived/rwkv.cpp-outputs/tiny-rwkv-6v0-3m-"+t+".dequantized-exact.prompt-in.logits.f32", in, null), run(R+"rwkv.cpp/tests/tiny-rwkv-6v0-3m-"+t+".bin", R+"derived/rwkv.cpp-outputs/tiny-rwkv-6v0-3m-"+t+".dequantized-exact.prompt70.logits.f32", p70, null));
    String[][] g = {{"tiny-rwkv-7v0-834K-F32","tiny-rwkv-7v0-834K-F32"},{"tiny-rwkv-7v0-834K-BF16","tiny-rwkv-7v0-834K-F32"},{"tiny-rwkv-7v0-834K-F16","tiny-rwkv-7v0-834K-F16.dequantized-exact"},{"tiny-rwkv-7v0-834K-Q8_0","tiny-rwkv-7v0-834K-Q8_0.dequantized-exact"},{"tiny-rwkv-7v0-834K-F32-to-Q4_0","tiny-rwkv-7v0-834K-F32-to-Q4_0.dequantized-exact"},{"tiny-rwkv-7v0-834K-F32-to-Q5_1","tiny-rwkv-7v0-834K-F32-to-Q5_1.dequantized-exact"},{"tiny-rwkv-7v0-834K-F32-to-Q4_K_M","tiny-rwkv-7v0-834K-F32-to-Q4_K_M.dequantized-exact"},{"tiny-rwkv-6v0-3m-Q5_1-dequant-Q8_0","tiny-rwkv-6v0-3m-Q5_1-dequant-Q8_0.dequantized-exact"}};
    for (String[] x : g) System.out.printf("GGUF %s prompt70 %.2e%n", x[0], run(R+"derived/gguf/"+x[0]+".gguf", R+"derived/gguf/"+x[1]+".prompt70.logits.f32", p70, null));
    String[][] bl = {{"tiny-rwkv-4v0-660K-f32.pth","prompt-in"},{"tiny-rwkv-5v1-730K-nogate-headdecay-f32.pth","gn64e-5.prompt-in"},{"tiny-rwkv-5v2-730K-f32.pth","gn64e-5.prompt-in"},{"tiny-rwkv-5v2-730K-bf16.pth","gn64e-5.prompt-in"},{"tiny-rwkv-5v2-730K-f16.pth","gn64e-5.prompt-in"},{"tiny-rwkv-5v2-730K-f32.safetensors","gn64e-5.prompt-in"},{"tiny-rwkv-6v0-3m-Q5_1-dequant-f32.pth","gn64e-5.prompt-in"},{"tiny-rwkv-7v0-834K-f32.pth","gn64e-5.prompt-in"},{"tiny-rwkv-7v0-834K-bf16.pth","gn64e-5.prompt-in"},{"tiny-rwkv-7v0-834K-f16.pth","gn64e-5.prompt-in"},{"tiny-rwkv-7v0-834K-f32.safetensors","gn64e-5.prompt-in"}};
    for (String[] x : bl) System.out.printf("BlinkDL %s %.2e%n", x[0], run(R+"derived/blinkdl/"+x[0], R+"derived/blinkdl/"+x[0]+"."+x[1]+".logits.f32", in, null));
  }
}
