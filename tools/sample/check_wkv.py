"""Checks: WKV7 hand-written backward vs torch.autograd.gradcheck (float64), WKV7 vs the plain autograd loop,
and the parallel training form vs the RNN form (rnn_step) on a small random model."""
import os, sys, torch
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from rwkv7 import *
torch.manual_seed(0)
T,BH,N=7,3,4
def mk():
    r=torch.randn(T,BH,N,dtype=torch.float64,requires_grad=True)
    w=torch.rand(T,BH,N,dtype=torch.float64).mul(0.5).add(0.5).requires_grad_()
    k=torch.randn(T,BH,N,dtype=torch.float64,requires_grad=True)
    v=torch.randn(T,BH,N,dtype=torch.float64,requires_grad=True)
    kk=torch.nn.functional.normalize(torch.randn(T,BH,N,dtype=torch.float64),dim=-1)
    a=(-kk).requires_grad_(); b=(kk*torch.rand(T,BH,N,dtype=torch.float64)).requires_grad_()
    return r,w,k,v,a,b
ins=mk()
print(torch.autograd.gradcheck(WKV7.apply, ins))
y1=WKV7.apply(*ins); y2=wkv7_naive(*ins); print((y1-y2).abs().max().item())
# full model: train form vs rnn form
torch.manual_seed(1)
m=RWKV7(300,64,3,16,dims=(8,8,8,8)).double()
with torch.no_grad():
    for p in m.parameters(): p.add_(torch.randn_like(p)*0.1)
idx=torch.randint(0,300,(2,9))
with torch.no_grad():
    lo=m(idx)
    sd={k:v.double() for k,v in m.state_dict().items()}
    st=rnn_init_state(sd)
    for t in range(9):
        l=rnn_step(sd,int(idx[1,t]),st)
    print('rnn vs parallel', (l-lo[1,-1]).abs().max().item(), lo.abs().max().item())
