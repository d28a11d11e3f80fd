"""MCLRec written from mclrec-spec (sections 2-8) in PyTorch, float32, Beauty preset (lambda 0, beta 0.05, dropout
0.5, uniform batches of 256): trains STEPS steps and logs the norm of the last layer norm's gain and the mean item
embedding norm, to compare the course of training with seqrec's trainer (see README.md here). Not part of the
build. Needs python3-torch and, for usable speed, libopenblas0-pthread (Debian's torch otherwise runs on the
reference BLAS, 10x slower):

    /usr/bin/python3 pytorch_spec_train.py SEED STEPS      # one epoch is 514 steps, about 30 min on 2 cores
"""
import sys, math, random, time, numpy as np, torch
torch.manual_seed(int(sys.argv[1])); random.seed(int(sys.argv[1])); np.random.seed(int(sys.argv[1]))
STEPS=int(sys.argv[2]); torch.set_num_threads(2)
LAMBDA,BETA,TAU,REGW,DROP=0.0,0.05,1.0,0.1,0.5
L,D,HEADS,EPS=50,64,2,1e-12; HS=D//HEADS
users=[list(map(int,l.split()[1:])) for l in open('/work/shared/data/amazon-beauty/beauty.txt')]
N=max(max(u) for u in users)
samples=[]
for u in users:
    tr=u[:-2]
    for t in range(1,len(tr)): samples.append((tr[:t][-L:],tr[t]))
print('samples',len(samples),'items',N,flush=True)
def normal(*s): return torch.nn.Parameter(torch.randn(*s)*0.02)
P=torch.nn.ParameterDict()
P['E']=normal(N+1,D); P['P']=normal(L,D); P['g0']=torch.nn.Parameter(torch.ones(D)); P['b0']=torch.nn.Parameter(torch.zeros(D))
for b in range(2):
    for w,(i,o) in {'q':(D,D),'k':(D,D),'v':(D,D),'o':(D,D),'1':(D,4*D),'2':(4*D,D)}.items():
        P['w%s%d'%(w,b)]=normal(o,i); P['b%s%d'%(w,b)]=torch.nn.Parameter(torch.zeros(o))
    for n in ('a','f'):
        P['g%s%d'%(n,b)]=torch.nn.Parameter(torch.ones(D)); P['n%s%d'%(n,b)]=torch.nn.Parameter(torch.zeros(D))
augs=[torch.nn.ModuleList([torch.nn.Linear(D,32),torch.nn.Linear(32,16),torch.nn.Linear(16,D)]) for _ in range(2)]
optE=torch.optim.Adam(P.parameters(),lr=1e-3); optA=torch.optim.Adam([p for a in augs for p in a.parameters()],lr=1e-3)
def gelu(x): return 0.5*x*(1+torch.erf(x/math.sqrt(2)))
drop=lambda x,p: torch.nn.functional.dropout(x,p,True)
def lin(x,w,b): return x@P['w%s%d'%(w,b)].T+P['b%s%d'%(w,b)]
def encode(seqs):
    T=max(len(s) for s in seqs)
    ids=torch.zeros(len(seqs),T,dtype=torch.long)
    for r,s in enumerate(seqs): ids[r,:len(s)]=torch.tensor(s)
    ln=torch.tensor([len(s) for s in seqs])
    x=torch.nn.functional.embedding(ids,P['E'],padding_idx=0)+P['P'][:T]
    x=drop(torch.nn.functional.layer_norm(x,(D,),P['g0'],P['b0'],EPS),DROP)
    vis=(ids!=0).unsqueeze(1).unsqueeze(2)&torch.tril(torch.ones(T,T,dtype=torch.bool))
    mask=torch.where(vis,0.0,-10000.0)
    for b in range(2):
        hd=lambda t:t.view(-1,T,HEADS,HS).transpose(1,2)
        q,k,v=(hd(lin(x,w,b)) for w in 'qkv')
        a=drop(torch.softmax(q@k.transpose(-1,-2)/math.sqrt(HS)+mask,-1),DROP)
        c=(a@v).transpose(1,2).reshape(-1,T,D)
        x=torch.nn.functional.layer_norm(drop(lin(c,'o',b),DROP)+x,(D,),P['ga%d'%b],P['na%d'%b],EPS)
        f=drop(lin(gelu(lin(x,'1',b)),'2',b),DROP)
        x=torch.nn.functional.layer_norm(f+x,(D,),P['gf%d'%b],P['nf%d'%b],EPS)
    return x[torch.arange(len(seqs)),ln-1]
def aug(i,h):
    m=augs[i]; z=gelu(m[0](h)); z=gelu(m[1](z)); z=m[2](z); return z/z.norm(dim=1,keepdim=True)
def scores(a,b,tau):
    u=torch.cat((a,b)); s=u@u.T/tau; B=a.shape[0]; r=torch.arange(2*B); pa=(r+B)%(2*B)
    keep=torch.ones_like(s,dtype=torch.bool); keep[r,r]=False; keep[r,pa]=False
    return s[r,pa], s[keep].view(2*B,-1)
def nce(a,b,tau=1.0):
    p,n=scores(a,b,tau); return (torch.logsumexp(torch.cat((p.unsqueeze(1),n),1),1)-p).mean()
def reg(a,b):
    p,n=scores(a,b,TAU); q=n.max(1).values
    return (p-torch.minimum(p,q)).mean()+(torch.maximum(p,q).unsqueeze(1)-n).mean()
def meta(h1,h2):
    z1,z2=aug(0,h1),aug(1,h2); pairs=((h1,z2),(h2,z1),(z1,z2))
    return sum(nce(a,b) for a,b in pairs)+REGW*sum(reg(a,b) for a,b in pairs)
def view(h,op):
    n=len(h)
    if op=='crop':
        k=int(n*0.5); s=random.randint(0,n-k); return h[s:s+k]
    if op=='mask':
        v=list(h)
        for p in random.sample(range(n),int(n*0.5)): v[p]=0
        return v
    w=int(n*0.8); s=random.randint(0,n-w); v=list(h); seg=v[s:s+w]; random.shuffle(seg); v[s:s+w]=seg; return v
def views(h):
    if len(h)<2: return h,h
    o1,o2=random.sample(['crop','mask','reorder'],2); return view(h,o1),view(h,o2)
def set_aug_grad(on):
    for a in augs:
        for p in a.parameters(): p.requires_grad_(on)
step=0; t0=time.time()
order=list(range(len(samples)))
while step<STEPS:
    random.shuffle(order)
    for s0 in range(0,len(order),256):
        batch=[samples[i] for i in order[s0:s0+256]]
        H=[b[0] for b in batch]; T=torch.tensor([b[1] for b in batch])
        V=[views(h) for h in H]; V1=[v[0] for v in V]; V2=[v[1] for v in V]
        for pss in (1,2,3):
            if pss==2:
                set_aug_grad(True); optA.zero_grad()
                with torch.no_grad(): h1,h2=encode(V1),encode(V2)
                meta(h1,h2).backward(); optA.step()
            else:
                set_aug_grad(False); optE.zero_grad()
                h=encode(H); h1=encode(V1); h2=encode(V2)
                loss=torch.nn.functional.cross_entropy(h@P['E'].T,T)+LAMBDA*nce(h1,h2,TAU)+BETA*meta(h1,h2)
                loss.backward(); optE.step()
        step+=1
        if step%50==0 or step==STEPS or step<=3:
            print('step %d  %.0fs  loss %.3f  lastLN gain norm %.3f  E row norm %.3f'%(step,time.time()-t0,loss.item(),
                  P['gf1'].norm().item(),P['E'][1:].norm(dim=1).mean().item()),flush=True)
        if step>=STEPS: break
