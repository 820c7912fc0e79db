# Generates the modelled LGSS demo figures (see the demo README): ten years of pools,
# drivers and fees for six services, shaped so that ten-year savings against the baselines match the
# 2010 projections (NCC > £12m, both founders > £25m).
from decimal import Decimal as D, ROUND_HALF_UP
import csv, sys
years = [f"{y}-{(y+1)%100:02d}" for y in range(2010, 2020)]
days = {y: (366 if y in ("2011-12","2015-16","2019-20") else 365) for y in years}
frac = {y: D(1) for y in years}; frac["2010-11"] = D(182)/D(365)
rates = {"2011-12":"1.0","2012-13":"1.0","2013-14":"1.0","2014-15":"1.5","2015-16":"1.0","2016-17":"1.5","2017-18":"2.0","2018-19":"2.0","2019-20":"2.0"}
idx = {"2010-11": D(1)}
for i,y in enumerate(years[1:],1): idx[y] = idx[years[i-1]]*(1+D(rates[y])/100)
# Service: code, name, host, basis, share of the founders' cost, fee share of pool
services = [
 ("hr","Human resources","northamptonshire","headcount",D("0.16"),D("0.08")),
 ("payroll","Payroll and pensions","cambridgeshire","transactions",D("0.10"),D("0.30")),
 ("finance","Finance and accounts payable","cambridgeshire","invoices",D("0.22"),D("0.05")),
 ("it","IT services","northamptonshire","users",D("0.32"),D("0.06")),
 ("legal","LGSS Law","northamptonshire","fixed_shares",D("0.12"),D("0.20")),
 ("audit","Internal audit and risk","cambridgeshire","budget",D("0.08"),D("0.04")),
]
clients = {"hr":"Schools and academies (HR advice)","payroll":"Schools, academies and town councils (payroll)",
 "finance":"Northamptonshire Fire and Rescue Authority","it":"Bedford Borough Council (IT)",
 "legal":"Other public bodies (legal work)","audit":"Academies and district councils (audit days)"}
# Founders' net cost (pool less fees), full-year terms, £: falls as the service consolidates
B_NCC, B_CAM = D(26260000), D(23240000)
joint_saving = dict(zip(years, [D(x)*1000000 for x in ("0.6","1.7","2.1","2.5","2.7","2.9","3.0","3.2","3.3","3.4")]))
mk_years = years[6:]
# Drivers per partner (NCC, Cambs, MK); a little drift year to year
def drivers(code, y, i):
    base = {"hr":(4200,3900,2300),"payroll":(61000,54000,33000),"finance":(98000,91000,52000),
            "it":(5200,4700,2900),"legal":("52","48"),"audit":(418000000,365000000,212000000)}[code]
    return base
rows=[]
def row(service,year,item,org,value,source="",confirmed="no"):
    rows.append([service,year,item,org,value,source,confirmed])
M="Modelled for the demo (not a published figure)"
row("","", "notice_months","","12",M)
row("","", "index_name","","Pay and prices (modelled)",M)
for y,r in rates.items(): row("",y,"index","",r,"Modelled: pay awards and prices, roughly as settled nationally","no")
for code,name,host,basis,share,fee in services:
    row(code,"","name","",name,M); row(code,"","host",host,"",M)
net_ncc={}; net_cam={}; net_mk={}
for y in years:
    mk = y in mk_years
    founders = (B_NCC+B_CAM)*idx[y]*frac[y] - joint_saving[y]
    # The founders' part of the whole by the drivers: the whole is set so that they bear `founders`.
    fs = D(0)
    for code,name,host,basis,share,fee in services:
        if basis=="fixed_shares":
            w = [D(44),D(38),D(18)] if mk else [D(55),D(45)]
        else:
            w = [(D(drivers(code,y,0)[i]) * (1 + D(years.index(y))/D(100) * (D(1) if i==0 else D("0.5")))).quantize(D("1")) for i in range(3 if mk else 2)]
        fs += share*(w[0]+w[1])/sum(w)
    total_net = founders/fs
    parts = {"northamptonshire":D(0),"cambridgeshire":D(0),"milton-keynes":D(0)}
    for code,name,host,basis,share,fee in services:
        net = (total_net*share).quantize(D("1000"))
        pool = (net/(1-fee)).quantize(D("1000"))
        fees = pool-net
        row(code,y,"pool","",f"{pool}.00",M); row(code,y,"basis","",basis,M)
        row(code,y,"fee",clients[code],f"{fees}.00",M)
        d = drivers(code,y,0)
        orgs = ["northamptonshire","cambridgeshire"] + (["milton-keynes"] if mk else [])
        if basis=="fixed_shares":
            sh = ("44","38","18") if mk else ("55","45")
            for o,s in zip(orgs,sh): row(code,y,"share",o,s,M)
            ks = ("40","40","20") if mk else ("50","50")
            for o,s in zip(orgs,ks): row(code,y,"income_key",o,s,M)
            w=[D(s) for s in sh]
        else:
            w=[]
            for i,o in enumerate(orgs):
                v = D(d[i]) * (1 + D(years.index(y))/D(100) * (D(1) if i==0 else D("0.5")))
                v = v.quantize(D("1"))
                w.append(v); row(code,y,"driver",o,str(v),M)
        tot=sum(w)
        for o,wi in zip(orgs,w): parts[o]+= net*wi/tot
    net_ncc[y]=parts["northamptonshire"]; net_cam[y]=parts["cambridgeshire"]; net_mk[y]=parts["milton-keynes"]
def solve(net, target, first):
    ys=[y for y in years if y>=first]
    s_idx=sum(idx[y]/idx[first]*frac[y] for y in ys)
    return ((D(target)+sum(net[y] for y in ys))/s_idx).quantize(D("1"))
b_ncc=B_NCC; b_cam=B_CAM; b_mk=solve(net_mk,"3400000","2016-17")
row("","2010-11","baseline","northamptonshire",f"{b_ncc}.00","Modelled: back-office cost before LGSS, in 2010-11 prices, set so that ten years' savings match the 2010 projection","no")
row("","2010-11","baseline","cambridgeshire",f"{b_cam}.00","Modelled: back-office cost before LGSS, in 2010-11 prices","no")
row("","2016-17","baseline","milton-keynes",f"{b_mk}.00","Modelled: back-office cost before joining, in 2016-17 prices","no")
row("","2019-20","projected_cumulative","northamptonshire","12000000.00","Northamptonshire County Council budget announcement, 2010: savings of more than £12m over ten years","no")
row("","2019-20","projected_cumulative","","25000000.00","2010 projection for the two founding partners: more than £25m over ten years","no")
row("","2010-11","reported_in_year","","6500000.00","Published LGSS case study: about £6.5m saved in the first year","no")
row("","2015-16","reported_in_year","","5700000.00","Published LGSS case study: about £5.7m saved in 2015-16","no")
row("","2015-16","reported_cumulative","","18800000.00","Published LGSS case study: about £18.8m saved jointly by 2015-16","no")
w=csv.writer(open(sys.argv[1],"w",newline=""),lineterminator="\n")
w.writerow(["service","year","item","organisation","value","source","confirmed"]); w.writerows(rows)
for y in years:
    print(y, round(net_mk[y]/10**6,2) if y in mk_years else 0, round(net_ncc[y]/10**6,2), round(net_cam[y]/10**6,2), round(net_mk[y]/10**6,2),
      "save ncc", round((b_ncc*idx[y]*frac[y]-net_ncc[y])/10**6,2), "cam", round((b_cam*idx[y]*frac[y]-net_cam[y])/10**6,2))
print(b_ncc,b_cam,b_mk)
