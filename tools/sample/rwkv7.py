"""RWKV-7 ("x070") in plain PyTorch for CPU training: parallel form over (B, T) for everything except the WKV
recurrence, which is a custom autograd Function with a hand-written backward (one Python loop over time forward,
one backward, everything else batched over all time steps). Parameter names follow BlinkDL's state dict.
Also an RNN-form reference (rnn_forward) that works directly on a state dict, in any float dtype.
"""
import math
import torch
import torch.nn as nn
import torch.nn.functional as F


class WKV7(torch.autograd.Function):
    """Inputs (T, BH, N) each: r, w (decay in (0,1)), k, v, a, b.
    Per step: S_t = S_{t-1} diag(w_t) + (S_{t-1} a_t) b_t^T + v_t k_t^T ;  y_t = S_t r_t ; S_0 = 0.
    S has index [value i][key j]."""

    @staticmethod
    def forward(ctx, r, w, k, v, a, b):
        T, BH, N = r.shape
        # (batched mat-vec products are written as broadcast multiply + sum: torch's CPU bmm is slow for them)
        states = torch.empty(T, BH, N, N, dtype=r.dtype)
        sa_all = torch.empty(T, BH, N, 1, dtype=r.dtype)
        vk = v.unsqueeze(-1) * k.unsqueeze(-2)  # (T,BH,N,N)
        w3 = w.unsqueeze(-2)  # (T,BH,1,N)
        a3 = a.unsqueeze(-2)  # (T,BH,1,N)
        b3 = b.unsqueeze(-2)  # (T,BH,1,N)
        S = torch.zeros(BH, N, N, dtype=r.dtype)
        for t in range(T):
            sa = torch.sum(S * a3[t], -1, keepdim=True, out=sa_all[t])  # S_{t-1} a_t
            St = states[t]
            torch.addcmul(vk[t], S, w3[t], out=St)
            St.addcmul_(sa, b3[t])
            S = St
        y = (states * r.unsqueeze(-2)).sum(-1)
        ctx.save_for_backward(r, w, k, v, a, b, states, sa_all)
        return y

    @staticmethod
    def backward(ctx, dy):
        r, w, k, v, a, b, states, sa_all = ctx.saved_tensors
        T, BH, N = r.shape
        dy = dy.contiguous()
        dr = (states * dy.unsqueeze(-1)).sum(-2)
        dyr = dy.unsqueeze(-1) * r.unsqueeze(-2)  # (T,BH,N,N) = dy_t r_t^T
        dS_all = torch.empty_like(states)
        dsb_all = torch.empty(T, BH, N, 1, dtype=r.dtype)
        w3 = w.unsqueeze(-2)
        a3 = a.unsqueeze(-2)  # (T,BH,1,N)
        b3 = b.unsqueeze(-2)  # (T,BH,1,N)
        G = torch.zeros(BH, N, N, dtype=r.dtype)
        for t in range(T - 1, -1, -1):
            Gt = dS_all[t]
            torch.add(G, dyr[t], out=Gt)  # dL/dS_t
            dsb = torch.sum(Gt * b3[t], -1, keepdim=True, out=dsb_all[t])  # dL/d(S_{t-1} a_t)
            G = torch.addcmul(Gt * w3[t], dsb, a3[t])  # dL/dS_{t-1} (through the transition)
        S_prev = torch.cat([torch.zeros_like(states[:1]), states[:-1]], 0)
        dw = (dS_all * S_prev).sum(-2)
        dk = (dS_all * v.unsqueeze(-1)).sum(-2)
        dv = (dS_all * k.unsqueeze(-2)).sum(-1)
        da = (S_prev * dsb_all).sum(-2)
        db = (dS_all * sa_all).sum(-2)
        return dr, dw, dk, dv, da, db


def wkv7_naive(r, w, k, v, a, b):
    """Autograd reference for WKV7 (same (T,BH,N) layout)."""
    T, BH, N = r.shape
    S = torch.zeros(BH, N, N, dtype=r.dtype)
    ys = []
    for rt, wt, kt, vt, at, bt in zip(r.unbind(0), w.unbind(0), k.unbind(0), v.unbind(0), a.unbind(0), b.unbind(0)):
        S = S * wt.unsqueeze(1) + torch.bmm(torch.bmm(S, at.unsqueeze(-1)), bt.unsqueeze(1)) + vt.unsqueeze(-1) * kt.unsqueeze(1)
        ys.append(torch.bmm(S, rt.unsqueeze(-1)).squeeze(-1))
    return torch.stack(ys, 0)


def ortho_(x, scale):
    with torch.no_grad():
        gain = math.sqrt(x.shape[0] / x.shape[1]) if x.shape[0] > x.shape[1] else 1.0
        nn.init.orthogonal_(x, gain=gain * scale)
    return x


class TimeMix(nn.Module):
    def __init__(self, C, H, layer_id, n_layer, dims):
        super().__init__()
        N = C // H
        self.H, self.N, self.layer_id = H, N, layer_id
        Dw, Da, Dv, Dg = dims
        r01 = layer_id / (n_layer - 1)
        r10 = 1.0 - layer_id / n_layer
        ddd = (torch.arange(C, dtype=torch.float32) / C).view(1, 1, C)
        self.x_r = nn.Parameter(1.0 - ddd ** (0.2 * r10))
        self.x_w = nn.Parameter(1.0 - ddd ** (0.9 * r10))
        self.x_k = nn.Parameter(1.0 - ddd ** (0.7 * r10))
        self.x_v = nn.Parameter(1.0 - ddd ** (0.7 * r10))
        self.x_a = nn.Parameter(1.0 - ddd ** (0.9 * r10))
        self.x_g = nn.Parameter(1.0 - ddd ** (0.2 * r10))
        n = torch.arange(C, dtype=torch.float32)
        linear = n / (C - 1) - 0.5
        zig = ((n % N) - (N - 1) / 2) / ((N - 1) / 2)
        zig = zig * zig.abs()
        www = -6 + 6 * (n / (C - 1)) ** (1 + r01 ** 0.3)
        self.w0 = nn.Parameter((www + 0.5 + zig * 2.5).view(1, 1, C))
        self.w1 = nn.Parameter(torch.zeros(C, Dw))
        self.w2 = nn.Parameter(ortho_(torch.zeros(Dw, C), 0.1))
        self.a0 = nn.Parameter((torch.zeros(C) - 0.19 + zig * 0.3 + linear * 0.4).view(1, 1, C))
        self.a1 = nn.Parameter(torch.zeros(C, Da))
        self.a2 = nn.Parameter(ortho_(torch.zeros(Da, C), 0.1))
        if layer_id > 0:
            self.v0 = nn.Parameter((torch.zeros(C) + 0.73 - linear * 0.4).view(1, 1, C))
            self.v1 = nn.Parameter(torch.zeros(C, Dv))
            self.v2 = nn.Parameter(ortho_(torch.zeros(Dv, C), 0.1))
        self.g1 = nn.Parameter(torch.zeros(C, Dg))
        self.g2 = nn.Parameter(ortho_(torch.zeros(Dg, C), 0.1))
        self.k_k = nn.Parameter((torch.zeros(C) + 0.71 - linear * 0.1).view(1, 1, C))
        self.k_a = nn.Parameter(torch.zeros(1, 1, C) + 1.02)
        self.r_k = nn.Parameter(torch.zeros(H, N) - 0.04)
        self.receptance = nn.Linear(C, C, bias=False)
        self.key = nn.Linear(C, C, bias=False)
        self.value = nn.Linear(C, C, bias=False)
        self.output = nn.Linear(C, C, bias=False)
        self.ln_x = nn.GroupNorm(H, C, eps=64e-5)
        with torch.no_grad():
            s = C ** -0.5
            self.receptance.weight.uniform_(-0.5 * s, 0.5 * s)
            self.key.weight.uniform_(-0.05 * s, 0.05 * s)
            self.value.weight.uniform_(-0.5 * s, 0.5 * s)
            self.output.weight.zero_()

    def forward(self, x, v_first):
        B, T, C = x.shape
        H, N = self.H, self.N
        xx = F.pad(x, (0, 0, 1, -1)) - x
        xr, xw, xk = x + xx * self.x_r, x + xx * self.x_w, x + xx * self.x_k
        xv, xa, xg = x + xx * self.x_v, x + xx * self.x_a, x + xx * self.x_g
        r = self.receptance(xr)
        w = self.w0 + torch.tanh(xw @ self.w1) @ self.w2
        k = self.key(xk)
        v = self.value(xv)
        if self.layer_id == 0:
            v_first = v
        else:
            v = v + (v_first - v) * torch.sigmoid(self.v0 + (xv @ self.v1) @ self.v2)
        a = torch.sigmoid(self.a0 + (xa @ self.a1) @ self.a2)
        g = torch.sigmoid(xg @ self.g1) @ self.g2
        kk = F.normalize((k * self.k_k).view(B, T, H, N), dim=-1, p=2.0).view(B, T, C)
        k = k * (1 + (a - 1) * self.k_a)
        decay = torch.exp(-math.exp(-0.5) * torch.sigmoid(w))

        def tb(z):  # (B,T,C) -> (T, B*H, N)
            return z.view(B, T, H, N).transpose(0, 1).reshape(T, B * H, N)

        y = WKV7.apply(tb(r), tb(decay), tb(k), tb(v), tb(-kk), tb(kk * a))
        y = y.view(T, B, H, N).transpose(0, 1).reshape(B * T, C)
        y = self.ln_x(y).view(B, T, C)
        y = y + ((r.view(B, T, H, N) * k.view(B, T, H, N) * self.r_k).sum(-1, keepdim=True)
                 * v.view(B, T, H, N)).view(B, T, C)
        return self.output(y * g), v_first


class ChannelMix(nn.Module):
    def __init__(self, C, Fdim, layer_id, n_layer):
        super().__init__()
        r10 = 1.0 - layer_id / n_layer
        ddd = (torch.arange(C, dtype=torch.float32) / C).view(1, 1, C)
        self.x_k = nn.Parameter(1.0 - ddd ** (r10 ** 4))
        self.key = nn.Linear(C, Fdim, bias=False)
        self.value = nn.Linear(Fdim, C, bias=False)
        with torch.no_grad():
            self.key.weight.uniform_(-0.5 * C ** -0.5, 0.5 * C ** -0.5)
            self.value.weight.zero_()

    def forward(self, x, return_act=False):
        xx = F.pad(x, (0, 0, 1, -1)) - x
        h = torch.relu(self.key(x + xx * self.x_k)) ** 2
        out = self.value(h)
        return (out, h) if return_act else out


class Block(nn.Module):
    def __init__(self, C, H, Fdim, layer_id, n_layer, dims):
        super().__init__()
        self.layer_id = layer_id
        if layer_id == 0:
            self.ln0 = nn.LayerNorm(C)
        self.ln1 = nn.LayerNorm(C)
        self.ln2 = nn.LayerNorm(C)
        self.att = TimeMix(C, H, layer_id, n_layer, dims)
        self.ffn = ChannelMix(C, Fdim, layer_id, n_layer)

    def forward(self, x, v_first, acts=None):
        if self.layer_id == 0:
            x = self.ln0(x)
        dx, v_first = self.att(self.ln1(x), v_first)
        x = x + dx
        if acts is None:
            x = x + self.ffn(self.ln2(x))
        else:
            dx, h = self.ffn(self.ln2(x), return_act=True)
            acts.append(h)
            x = x + dx
        return x, v_first


class RWKV7(nn.Module):
    def __init__(self, vocab_size, n_embd, n_layer, head_size, dims=(32, 32, 16, 32), ffn_mult=4):
        super().__init__()
        C = n_embd
        self.cfg = dict(vocab_size=vocab_size, n_embd=n_embd, n_layer=n_layer, head_size=head_size,
                        dims=list(dims), ffn_mult=ffn_mult)
        self.emb = nn.Embedding(vocab_size, C)
        self.blocks = nn.ModuleList([Block(C, C // head_size, C * ffn_mult, i, n_layer, dims) for i in range(n_layer)])
        self.ln_out = nn.LayerNorm(C)
        self.head = nn.Linear(C, vocab_size, bias=False)
        with torch.no_grad():
            self.emb.weight.uniform_(-1e-4, 1e-4)
            ortho_(self.head.weight, 0.5)

    def forward(self, idx, acts=None):
        x = self.emb(idx)
        v_first = None
        for blk in self.blocks:
            x, v_first = blk(x, v_first, acts)
        return self.head(self.ln_out(x))


def config_from_state_dict(sd):
    V, C = sd["emb.weight"].shape
    L = 1 + max(int(k.split(".")[1]) for k in sd if k.startswith("blocks."))
    H, N = sd["blocks.0.att.r_k"].shape
    dims = (sd["blocks.0.att.w1"].shape[1], sd["blocks.0.att.a1"].shape[1],
            sd["blocks.1.att.v1"].shape[1] if L > 1 else 16, sd["blocks.0.att.g1"].shape[1])
    return dict(vocab_size=V, n_embd=C, n_layer=L, head_size=N, dims=dims,
                ffn_mult=sd["blocks.0.ffn.key.weight"].shape[0] // C)


def load_model(path):
    sd = torch.load(path, map_location="cpu")
    m = RWKV7(**config_from_state_dict(sd))
    m.load_state_dict(sd)
    return m


# ---------------------------------------------------------------- RNN form (reference for the Java engine)

def rnn_init_state(sd, dtype=torch.float64):
    V, C = sd["emb.weight"].shape
    H, N = sd["blocks.0.att.r_k"].shape
    L = config_from_state_dict(sd)["n_layer"]
    return [dict(att_x=torch.zeros(C, dtype=dtype), ffn_x=torch.zeros(C, dtype=dtype),
                 S=torch.zeros(H, N, N, dtype=dtype)) for _ in range(L)]


def rnn_step(sd, token, state, acts=None):
    """One token through the model in RNN form; sd tensors must already be in the wanted dtype. Returns logits."""
    def ln(x, p, eps=1e-5):
        return F.layer_norm(x, x.shape, sd[p + ".weight"], sd[p + ".bias"], eps)

    x = sd["emb.weight"][token]
    x = ln(x, "blocks.0.ln0")
    v_first = None
    for i, st in enumerate(state):
        p = "blocks.%d." % i
        H, N = sd[p + "att.r_k"].shape
        xa_ = ln(x, p + "ln1")
        xx = st["att_x"] - xa_
        st["att_x"] = xa_
        mix = {c: xa_ + xx * sd[p + "att.x_" + c].view(-1) for c in "rwkvag"}
        r = sd[p + "att.receptance.weight"] @ mix["r"]
        k = sd[p + "att.key.weight"] @ mix["k"]
        v = sd[p + "att.value.weight"] @ mix["v"]
        w = sd[p + "att.w0"].view(-1) + torch.tanh(mix["w"] @ sd[p + "att.w1"]) @ sd[p + "att.w2"]
        a = torch.sigmoid(sd[p + "att.a0"].view(-1) + (mix["a"] @ sd[p + "att.a1"]) @ sd[p + "att.a2"])
        g = torch.sigmoid(mix["g"] @ sd[p + "att.g1"]) @ sd[p + "att.g2"]
        kk = k * sd[p + "att.k_k"].view(-1)
        kk = F.normalize(kk.view(H, N), dim=-1, p=2.0).view(-1)
        k = k * (1 + (a - 1) * sd[p + "att.k_a"].view(-1))
        if i == 0:
            v_first = v
        else:
            v = v + (v_first - v) * torch.sigmoid(sd[p + "att.v0"].view(-1) + (mix["v"] @ sd[p + "att.v1"]) @ sd[p + "att.v2"])
        decay = torch.exp(-math.exp(-0.5) * torch.sigmoid(w))
        S = st["S"]
        vh, kh, rh, dh = v.view(H, N, 1), k.view(H, 1, N), r.view(H, N, 1), decay.view(H, 1, N)
        ah, bh = (-kk).view(H, N, 1), (kk * a).view(H, 1, N)
        S = S * dh + torch.bmm(torch.bmm(S, ah), bh) + vh * kh
        st["S"] = S
        out = torch.bmm(S, rh).view(H, N)
        out = F.group_norm(out.view(1, H * N), H, sd[p + "att.ln_x.weight"], sd[p + "att.ln_x.bias"], 64e-5).view(H, N)
        out = out + (r.view(H, N) * k.view(H, N) * sd[p + "att.r_k"]).sum(-1, keepdim=True) * v.view(H, N)
        x = x + sd[p + "att.output.weight"] @ (out.view(-1) * g)
        xf = ln(x, p + "ln2")
        xx = st["ffn_x"] - xf
        st["ffn_x"] = xf
        h = torch.relu(sd[p + "ffn.key.weight"] @ (xf + xx * sd[p + "ffn.x_k"].view(-1))) ** 2
        if acts is not None:
            acts.append(h)
        x = x + sd[p + "ffn.value.weight"] @ h
    return sd["head.weight"] @ ln(x, "ln_out")
